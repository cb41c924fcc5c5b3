import type { LlmqMetrics } from '@llmq/metrics';
import type { MiddlewareHandler } from 'hono';

/**
 * Each request's duration and status by route pattern (never the raw path: ids would make a
 * series per prompt). A stream counts until it ends.
 */
export function httpMetrics(metrics: LlmqMetrics): MiddlewareHandler {
  return async (c, next) => {
    const started = performance.now();
    try {
      await next();
    } finally {
      const labels = {
        method: c.req.method,
        route: c.req.routePath || 'unmatched',
        status: String(c.res.status),
      };
      metrics.httpRequestDuration.observe(labels, (performance.now() - started) / 1000);
      metrics.httpRequests.inc(labels);
    }
  };
}

/** Count an open SSE stream until the returned function is called. */
export function openSseClient(
  metrics: LlmqMetrics,
  stream: 'prompt' | 'batch' | 'chat' | 'responses',
): () => void {
  metrics.sseClients.inc({ stream });
  let closed = false;
  return () => {
    if (closed) return;
    closed = true;
    metrics.sseClients.dec({ stream });
  };
}
