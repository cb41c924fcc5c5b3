// node bench/src/sse-write-floor.ts — the floor under bench:sse's CPU per chunk delivered: what
// one socket write of one SSE frame costs this process, on its own, to 2,000 loopback clients
// (in a process of their own that reads and discards). The api writes at least once per chunk
// delivered (each client its own TCP connection) unless one write carries several frames.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { type AddressInfo, connect, createServer, type Socket } from 'node:net';

const clients = Number(process.env.BENCH_CLIENTS ?? 2000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 40);

if (process.argv[2] === 'clients') {
  const port = Number(process.argv[3]);
  let open = 0;
  for (let index = 0; index < clients; index++) {
    const socket = connect(port, '127.0.0.1');
    socket.on('data', () => undefined);
    socket.on('connect', () => {
      if (++open === clients) process.send?.('connected');
    });
  }
} else {
  const sockets: Socket[] = [];
  const server = createServer((socket) => {
    socket.setNoDelay(true);
    sockets.push(socket);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const child = fork(new URL(import.meta.url).pathname, [
    'clients',
    String((server.address() as AddressInfo).port),
  ]);
  await once(child, 'message');
  const text = `id: 1764890000000-12\nevent: chunk\ndata: {"type":"chunk","text":"stream me stream"}\n\n`;
  const frame = Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
  const twice = Buffer.concat([frame, frame]);
  // As bench:sse paces them: every client gets a write, then the loop waits for the next entry.
  const measure = async (payload: Buffer) => {
    const before = process.cpuUsage();
    for (let round = 0; round < rounds; round++) {
      for (const socket of sockets) socket.write(payload);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const used = process.cpuUsage(before);
    const writes = rounds * sockets.length;
    return { user: used.user / writes, system: used.system / writes };
  };
  console.log(`sse write floor — ${sockets.length} loopback clients, ${rounds} rounds\n`);
  for (const [name, payload, frames] of [
    ['one frame per write', frame, 1],
    ['two frames per write', twice, 2],
    ['one frame per write', frame, 1],
    ['two frames per write', twice, 2],
  ] as const) {
    const { user, system } = await measure(payload);
    console.log(
      `${name.padEnd(22)} user ${user.toFixed(2)} µs  system ${system.toFixed(2)} µs  per write; ${((user + system) / frames).toFixed(2)} µs per frame`,
    );
  }
  child.kill();
  server.close();
  for (const socket of sockets) socket.destroy();
}
