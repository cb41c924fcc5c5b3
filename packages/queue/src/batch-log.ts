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
    const [id] = await this.appendMany([{ batchId, event }]);
    return id as string;
  }

  /**
   * Append item ends of any batches in one transaction (a worker ending many items at once
   * sends them together); returns their entry ids in order.
   */
  async appendMany(
    entries: ReadonlyArray<{ readonly batchId: string; readonly event: BatchItemEvent }>,
  ): Promise<string[]> {
    if (entries.length === 0) return [];
    const transaction = this.#commands.multi();
    for (const { batchId, event } of entries) {
      transaction.xadd(
        this.#key(batchId),
        'MAXLEN',
        '~',
        '200000',
        '*',
        'e',
        JSON.stringify(event),
      );
    }
    for (const batchId of new Set(entries.map((entry) => entry.batchId))) {
      transaction.expire(this.#key(batchId), this.#ttlSeconds);
    }
    const results = await transaction.exec();
    if (!results) throw new Error('the batch log append was not run');
    return entries.map((_, index) => {
      const [error, id] = results[index] ?? [new Error('the batch log append was not run'), null];
      if (error) throw error;
      return String(id);
    });
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
