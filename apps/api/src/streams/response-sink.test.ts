import { once } from 'node:events';
import {
  createServer,
  type IncomingMessage,
  type RequestListener,
  type Server,
  type ServerResponse,
} from 'node:http';
import { type AddressInfo, connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { responseSink } from './response-sink.ts';
import { SharedFrame } from './shared-frame.ts';

const shared = new SharedFrame('data: héllo ✓\n\n');

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => server?.close(resolve));
  server = undefined;
});

/**
 * A server whose every response is written through a sink: a shared frame, an empty frame,
 * text, the last frame with the end, and a frame too late.
 */
async function listen(handle: RequestListener = writeThroughSink): Promise<number> {
  server = createServer(handle);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return (server.address() as AddressInfo).port;
}

async function writeThroughSink(_request: IncomingMessage, response: ServerResponse) {
  {
    response.writeHead(200, { 'content-type': 'text/event-stream' });
    const sink = responseSink(response);
    sink.push(shared);
    sink.push('');
    await sink.write('event: chunk\ndata: {}\n\n');
    sink.finish('event: done\ndata: {}\n\n');
    // As the routes do: nothing is written after the last frame, and a second end is harmless.
    sink.push('event: late\n\n');
    response.end();
  }
}

/** Send raw request bytes on one connection; resolve with everything read until `until` matches or the server closes. */
async function exchange(port: number, request: string, until?: RegExp): Promise<string> {
  const socket = connect(port, '127.0.0.1');
  socket.setEncoding('utf8');
  let received = '';
  return new Promise((resolve, reject) => {
    socket.on('data', (text: string) => {
      received += text;
      if (until?.test(received)) {
        socket.destroy();
        resolve(received);
      }
    });
    socket.on('end', () => resolve(received));
    socket.on('error', reject);
    socket.write(request);
  });
}

const body = 'data: héllo ✓\n\nevent: chunk\ndata: {}\n\nevent: done\ndata: {}\n\n';

describe('responseSink', () => {
  it('writes each frame as one well-formed chunk, ends the body, and leaves the connection reusable', async () => {
    const port = await listen();
    // The second request is pipelined: its response waits for the first one's socket, so it is
    // written through Node's own buffering, not straight to the socket.
    const get = 'GET /stream HTTP/1.1\r\nHost: x\r\n\r\n';
    const raw = await exchange(port, get + get, /(0\r\n\r\n[\s\S]*){2}/);
    const responses = raw.split('HTTP/1.1 200 OK\r\n').slice(1);
    expect(responses).toHaveLength(2);
    for (const response of responses) {
      const { head, rest } = split(response);
      expect(head.toLowerCase()).toContain('transfer-encoding: chunked');
      expect(dechunk(rest)).toBe(body);
    }
  });

  it('writes nothing once the response was ended elsewhere: no stray bytes on the kept connection, no write after end', async () => {
    const port = await listen((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      const sink = responseSink(response);
      // Pushed, then the response ended before the end of the tick flushes it; then pushed again.
      sink.push('event: pending\n\n');
      response.end();
      sink.push('event: late\n\n');
      void sink.write('event: later\n\n');
    });
    // The first response is written straight to the socket, the pipelined second through Node's
    // buffering (where a write after end is an error event on the response).
    const get = 'GET /stream HTTP/1.1\r\nHost: x\r\n\r\n';
    const raw = await exchange(port, get + get, /(0\r\n\r\n[\s\S]*){2}/);
    await new Promise((resume) => setImmediate(resume));
    const responses = raw.split('HTTP/1.1 200 OK\r\n').slice(1);
    expect(responses).toHaveLength(2);
    for (const response of responses) expect(split(response).rest).toBe('0\r\n\r\n');
  });

  it('writes a plain body, closed by the server, to an HTTP/1.0 client', async () => {
    const port = await listen();
    const raw = await exchange(port, 'GET /stream HTTP/1.0\r\n\r\n');
    const { head, rest } = split(raw);
    expect(head.toLowerCase()).not.toContain('transfer-encoding');
    expect(rest).toBe(body);
  });

  it('writes no body for HEAD, so the next request on the connection is read correctly', async () => {
    const port = await listen();
    const raw = await exchange(
      port,
      'HEAD /stream HTTP/1.1\r\nHost: x\r\n\r\nGET /stream HTTP/1.1\r\nHost: x\r\n\r\n',
      /0\r\n\r\n$/,
    );
    const responses = raw.split('HTTP/1.1 200 OK\r\n').slice(1);
    expect(responses).toHaveLength(2);
    expect(responses[0]?.endsWith('\r\n\r\n')).toBe(true);
    expect(responses[0]).not.toContain('data:');
  });
});

function split(response: string): { head: string; rest: string } {
  const end = response.indexOf('\r\n\r\n');
  return { head: response.slice(0, end), rest: response.slice(end + 4) };
}

/** The payload of a chunked body, checking every chunk's declared size against its bytes. */
function dechunk(chunked: string): string {
  const bytes = Buffer.from(chunked);
  let offset = 0;
  let payload = '';
  for (;;) {
    const lineEnd = bytes.indexOf('\r\n', offset);
    const size = Number.parseInt(bytes.subarray(offset, lineEnd).toString('latin1'), 16);
    offset = lineEnd + 2;
    if (size === 0) return payload;
    payload += bytes.subarray(offset, offset + size).toString('utf8');
    expect(bytes.subarray(offset + size, offset + size + 2).toString('latin1')).toBe('\r\n');
    offset += size + 2;
  }
}
