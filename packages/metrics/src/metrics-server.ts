import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LlmqMetrics } from './llmq-metrics.ts';

export interface MetricsServer {
  readonly server: Server;
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A worker's own small HTTP server: `GET /metrics` for Prometheus and `GET /healthz`
 * (whether `healthy()` says so) for liveness probes.
 */
export async function startMetricsServer(
  metrics: LlmqMetrics,
  options: { port: number; host: string; healthy: () => boolean },
): Promise<MetricsServer> {
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    if (request.method === 'GET' && path === '/metrics') {
      metrics.render().then(
        (text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType });
          response.end(text);
        },
        (error: unknown) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(`metrics failed: ${String(error)}`);
        },
      );
      return;
    }
    if (request.method === 'GET' && path === '/healthz') {
      const healthy = options.healthy();
      response.writeHead(healthy ? 200 : 503, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ status: healthy ? 'ok' : 'stopping' }));
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' });
    response.end('GET /metrics or /healthz');
  });
  server.listen(options.port, options.host);
  await once(server, 'listening');
  return {
    server,
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
