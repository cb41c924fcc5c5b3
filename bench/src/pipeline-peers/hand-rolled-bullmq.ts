import { createTestRedis } from '@llmq/testing';
import { Queue, Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { countdown } from './countdown.ts';
import { echoAnswer } from './echo-answer.ts';
import type { PipelinePeer } from './peer.ts';
import { PromptsTable, promptChunks } from './prompts-table.ts';

/**
 * What a user who needs prompts persisted and results stored would write with BullMQ and
 * postgres.js: rows inserted 1,000 per statement, jobs (row id and prompt) added with addBulk,
 * a worker at `concurrency` whose processor computes echo's answer and stores it with one
 * UPDATE; jobs removed on completion, 5 attempts with exponential backoff, as llmq's.
 */
export const handRolledBullmqPeer: PipelinePeer = {
  name: 'hand-rolled BullMQ + postgres.js',
  stores: true,
  usesRedis: true,
  async prepare(jobs, concurrency) {
    const table = await PromptsTable.create();
    const redis = createTestRedis();
    const connection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const workerConnection = new Redis(redis.url, { maxRetriesPerRequest: null });
    const queue = new Queue<{ id: number; prompt: string }>('prompts', {
      connection,
      prefix: redis.prefix,
    });
    const finished = countdown(jobs);
    const worker = new Worker<{ id: number; prompt: string }>(
      'prompts',
      async (job) => {
        await table.storeResult(job.data.id, await echoAnswer(job.data.prompt));
      },
      { connection: workerConnection, prefix: redis.prefix, concurrency },
    );
    worker.on('completed', () => finished.tick());
    await worker.waitUntilReady();
    return {
      database: table.database.name,
      async run() {
        for (const rows of promptChunks(jobs)) {
          await table.insert(rows);
          await queue.addBulk(
            rows.map((row) => ({
              name: 'echo',
              data: row,
              opts: {
                attempts: 5,
                backoff: { type: 'exponential', delay: 1_000 },
                removeOnComplete: true,
                removeOnFail: { count: 10_000 },
              },
            })),
          );
        }
        await finished.done;
      },
      verify: () => table.verify(jobs),
      async close() {
        await worker.close();
        await queue.close();
        connection.disconnect();
        workerConnection.disconnect();
        await redis.cleanup();
        await table.close();
      },
    };
  },
};
