// node bench/src/sse-write-floor.ts — the floors under bench:sse's CPU per chunk delivered and
// per stream end, measured with Node alone (no llmq code): 2,000 keep-alive HTTP/1.1 responses
// streaming to loopback clients in a process of their own that reads and discards. One socket
// write of one pre-framed chunk per client (the api writes at least once per chunk delivered,
// each client having its own TCP connection, unless one write carries several frames), and a
// response's end as the api ends a stream (its last frame and the body's end in one write, then
// `end()` and Node's keep-alive bookkeeping, until the response closes).
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { Agent, createServer, get, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

const clients = Number(process.env.BENCH_CLIENTS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);

if (process.argv[2] === 'clients') {
  const url = process.argv[3] ?? '';
  const agent = new Agent({
    keepAlive: true,
    maxSockets: Number.POSITIVE_INFINITY,
    maxFreeSockets: Number.POSITIVE_INFINITY,
  });
  let open = 0;
  let ended = 0;
  const follow = () =>
    get(url, { agent }, (response) => {
      if (++open === clients) process.send?.('connected');
      response.on('data', () => undefined);
      response.on('end', () => {
        if (++ended === clients) process.send?.('ended');
      });
    });
  for (let index = 0; index < clients; index++) follow();
} else {
  const responses: ServerResponse[] = [];
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    response.flushHeaders();
    responses.push(response);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const child = fork(new URL(import.meta.url).pathname, [
    'clients',
    `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
  ]);
  await once(child, 'message');
  const text = `id: 1764890000000-12\nevent: chunk\ndata: {"type":"chunk","text":"stream me stream"}\n\n`;
  const frame = Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
  const twice = Buffer.concat([frame, frame]);
  const sockets = responses.map((response) => response.socket as Socket);
  const microsPer = (before: NodeJS.CpuUsage, count: number) => {
    const used = process.cpuUsage(before);
    return { user: used.user / count, system: used.system / count };
  };
  // As bench:sse paces them: every client gets a write, then the loop waits for the next entry.
  const measureWrites = async (payload: Buffer) => {
    const before = process.cpuUsage();
    for (let round = 0; round < rounds; round++) {
      for (const socket of sockets) socket.write(payload);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    return microsPer(before, rounds * sockets.length);
  };
  console.log(
    `sse write floor — ${sockets.length} keep-alive loopback responses, ${rounds} rounds\n`,
  );
  for (const [name, payload, frames] of [
    ['one frame per write', frame, 1],
    ['two frames per write', twice, 2],
    ['one frame per write', frame, 1],
    ['two frames per write', twice, 2],
  ] as const) {
    const { user, system } = await measureWrites(payload);
    console.log(
      `${name.padEnd(22)} user ${user.toFixed(2)} µs  system ${system.toFixed(2)} µs  per write; ${((user + system) / frames).toFixed(2)} µs per frame`,
    );
  }
  const finalChunk = Buffer.concat([frame, Buffer.from('0\r\n\r\n', 'latin1')]);
  const closed = Promise.all(responses.map((response) => once(response, 'close')));
  const ended = once(child, 'message');
  const before = process.cpuUsage();
  for (const response of responses) {
    response.socket?.write(finalChunk);
    response.chunkedEncoding = false;
    response.end();
  }
  await closed;
  await ended;
  const { user, system } = microsPer(before, responses.length);
  console.log(
    `stream end             user ${user.toFixed(2)} µs  system ${system.toFixed(2)} µs  per response (last frame and body end in one write, end(), until closed)`,
  );
  child.kill();
  server.closeAllConnections();
  server.close();
}
