import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { Logger } from 'pino';

/** A request id for every request (kept from `x-request-id` when given) and one log line each. */
export function requestLogger(logger: Logger): MiddlewareHandler {
  // The line's fields are fixed and hold no secret (the path, never the query where a stream
  // token rides), so it skips redaction: the wildcard paths cost more than the rest of the line,
  // paid on every request, thousands at once when streams end together.
  const requestLines = logger.child({}, { redact: [] });
  return async (c, next) => {
    const requestId = c.req.header('x-request-id') ?? randomUUID();
    c.header('x-request-id', requestId);
    const started = performance.now();
    await next();
    requestLines.info(
      {
        requestId,
        method: c.req.method,
        path: c.req.path,
        status: c.res.status,
        durationMs: Math.round(performance.now() - started),
      },
      'request',
    );
  };
}
