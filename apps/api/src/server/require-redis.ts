import { type FailureTraits, LlmqError } from '@llmq/core';
import type { MiddlewareHandler } from 'hono';
import type { Redis } from 'ioredis';

/** A request that must write to Redis came while the api's connection to it was down. */
export class RedisDownError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'redis-down',
    blame: 'service',
    retryable: true,
    edge: 'http',
  };
  override readonly name = 'RedisDownError';
}

/**
 * Refuse at once, before the body is read, a request that queues work while the api's Redis
 * connections are not ready. Without this, its commands waited in ioredis's offline queue
 * through several reconnection attempts (5–15 s) before the 503; and a batch was written to
 * PostgreSQL, answered 201, and then failed to queue. Connections keep retrying meanwhile,
 * so the first request after Redis returns is served.
 */
export function requireRedis(connections: readonly Redis[]): MiddlewareHandler {
  return async (c, next) => {
    if (
      c.req.method === 'POST' &&
      connections.some((connection) => connection.status !== 'ready')
    ) {
      throw new RedisDownError('Redis is not reachable right now');
    }
    await next();
  };
}
