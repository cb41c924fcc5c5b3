import { type FailureTraits, LlmqError } from '@llmq/core';
import { Redis, type RedisOptions } from 'ioredis';

/** `REDIS_URL` is not something llmq can connect with. */
export class RedisConfigError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'redis-config-invalid',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'RedisConfigError';
}

export interface RedisConnectionOptions {
  /** Shown in `CLIENT LIST`, so an operator can tell llmq's connections apart. */
  readonly name: string;
  /**
   * For BullMQ workers and subscribers: commands wait for a reconnect instead of failing after
   * a few retries (BullMQ requires `maxRetriesPerRequest: null` on blocking connections).
   */
  readonly blocking?: boolean;
  /**
   * For a process that answers requests (the api): a command whose connection dropped fails
   * after one reconnection attempt instead of three, so a request answers 503 within a second
   * or two. Workers keep three: they ride out a short blip without restarting a job.
   */
  readonly failFast?: boolean;
}

/** Check a Redis URL, with a message naming `REDIS_URL` and the expected form. */
export function parseRedisUrl(url: string): URL {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RedisConfigError(
      'REDIS_URL is not a valid URL: give redis://[user:password@]host:6379[/db] or rediss:// for TLS',
    );
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RedisConfigError(
      `REDIS_URL must start with redis:// or rediss:// (it starts with ${parsed.protocol}//)`,
    );
  }
  return parsed;
}

/**
 * Every Redis connection llmq opens is made here. Connections retry forever with a capped
 * backoff, so a Redis restart is survived; non-blocking ones fail a command after a few
 * retries rather than hanging a request.
 */
export function createRedisConnection(url: string, options: RedisConnectionOptions): Redis {
  parseRedisUrl(url);
  const settings: RedisOptions = {
    connectionName: options.name,
    maxRetriesPerRequest: options.blocking ? null : options.failFast ? 1 : 3,
    enableReadyCheck: true,
    // Commands issued in the same tick (many jobs appending at once) share one write.
    enableAutoPipelining: !options.blocking,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
  };
  return new Redis(url, settings);
}

/** Where a Redis URL points, without credentials, for logs and errors. */
export function describeRedisUrl(url: string): string {
  const parsed = parseRedisUrl(url);
  return `${parsed.protocol}//${parsed.hostname}:${parsed.port || '6379'}${parsed.pathname === '/' ? '' : parsed.pathname}`;
}
