import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/**
 * A webhook receiver on 127.0.0.1: each path answers from its own script (a status per request,
 * `hang` to hold the request open until the test ends), 200 once the script is spent.
 */
export async function startReceiver() {
  const received: ReceivedRequest[] = [];
  const scripts = new Map<string, Array<number | 'hang'>>();
  const hanging = new Set<ServerResponse>();
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const path = request.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string') headers[name] = value;
      }
      received.push({ path, headers, body: Buffer.concat(chunks).toString('utf8') });
      const next = scripts.get(path)?.shift() ?? 200;
      if (next === 'hang') {
        hanging.add(response);
        return;
      }
      response.writeHead(next, { 'content-type': 'text/plain' });
      response.end(next === 200 ? 'ok' : 'receiver busy');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    url: (path: string, script: Array<number | 'hang'> = []) => {
      scripts.set(path, [...script]);
      return `http://127.0.0.1:${port}${path}`;
    },
    close: async () => {
      for (const response of hanging) response.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type WebhookReceiver = Awaited<ReturnType<typeof startReceiver>>;
