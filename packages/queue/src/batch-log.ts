import { type BatchItemEvent, batchItemEventSchema } from '@llmq/contracts';
import type { Redis } from 'ioredis';

export interface BatchLogEntry {
  readonly id: string;
  readonly event: BatchItemEvent;
}

/**
 * Each batch's item ends, in order, as a Redis Stream (`<prefix>:batchlog:<id>`): what a
 * batch's event stream with `?items=true` sends, resumable by entry id. Kept a day after its
 * last entry.
 */
export class BatchLog {
  readonly #commands: Redis;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  constructor(commands: Redis, prefix: string, ttlSeconds = 86_400) {
    this.#commands = commands;
    this.#prefix = prefix;
    this.#ttlSeconds = ttlSeconds;
  }

  #key(batchId: string): string {
    return `${this.#prefix}:batchlog:${batchId}`;
  }

  async append(batchId: string, event: BatchItemEvent): Promise<string> {
    const key = this.#key(batchId);
    const results = await this.#commands
      .multi()
      .xadd(key, 'MAXLEN', '~', '200000', '*', 'e', JSON.stringify(event))
      .expire(key, this.#ttlSeconds)
      .exec();
    const [error, id] = results?.[0] ?? [new Error('the batch log append was not run'), null];
    if (error) throw error;
    return String(id);
  }

  /** Entries after `afterId`, oldest first, at most `count`. */
  async read(batchId: string, afterId = '0', count = 1_000): Promise<BatchLogEntry[]> {
    const start = afterId === '0' ? '-' : `(${afterId}`;
    const raw = (await this.#commands.xrange(
      this.#key(batchId),
      start,
      '+',
      'COUNT',
      count,
    )) as Array<[string, string[]]>;
    return raw.map(([id, fields]) => ({
      id,
      event: batchItemEventSchema.parse(JSON.parse(fields[1] ?? '')),
    }));
  }

  async reset(batchId: string): Promise<void> {
    await this.#commands.del(this.#key(batchId));
  }
}
