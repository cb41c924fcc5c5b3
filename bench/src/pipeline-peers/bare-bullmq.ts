import { createTestRedis } from '@llmq/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { countdown } from './countdown.ts';
import type { PipelinePeer } from './peer.ts';

/**
 * The old yardstick, kept for scale: BullMQ alone, addBulk of no-op jobs (1,000 per call) and a
 * worker at `concurrency` that does nothing; it stores nothing anywhere.
 */
export const bareBullmqPeer: PipelinePeer = {
  name: 'bare BullMQ no-op (stores nothing)',
  stores: false,
  usesRedis: true,
  async prepare(jobs, concurrency) {
    const redis = createTestRedis();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue('bare', { connection, prefix: redis.prefix });
    const finished = countdown(jobs);
    const worker = new Worker('bare', async () => undefined, {
      connection: workerConnection,
      prefix: redis.prefix,
      concurrency,
    });
    worker.on('completed', () => finished.tick());
    await worker.waitUntilReady();
    return {
      database: undefined,
      async run() {
        for (let start = 0; start < jobs; start += 1_000) {
          await queue.addBulk(
            Array.from({ length: Math.min(1_000, jobs - start) }, (_, offset) => ({
              name: 'noop',
              data: { index: start + offset },
              opts: { removeOnComplete: true },
            })),
          );
        }
        await finished.done;
      },
      async verify() {},
      async close() {
        await worker.close();
        await queue.close();
        connection.disconnect();
        workerConnection.disconnect();
        await redis.cleanup();
      },
    };
  },
};
