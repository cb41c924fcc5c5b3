import { createRedisConnection } from '@llmq/queue';
import { createTestRedis, waitFor } from '@llmq/testing';
import { UnrecoverableError, Worker } from 'bullmq';
import { afterAll, describe, expect, it } from 'vitest';
import { ProviderBatchQueue, providerBatchQueueName } from './provider-batch-queue.ts';

const testRedis = createTestRedis();
const connection = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-queue` });
const workerConnection = createRedisConnection(testRedis.url, {
  name: `${testRedis.prefix}-worker`,
  blocking: true,
});
const queue = new ProviderBatchQueue(connection, { prefix: testRedis.prefix, pollMs: 100 });

afterAll(async () => {
  await queue.close();
  connection.disconnect();
  workerConnection.disconnect();
  await testRedis.cleanup();
});

describe('ProviderBatchQueue', () => {
  it('adds again a job that sits in the failed set (the reconciler’s re-add is no no-op)', async () => {
    await queue.submit('batch-1');
    const worker = new Worker(
      providerBatchQueueName,
      () => {
        throw new UnrecoverableError('refused for good');
      },
      { connection: workerConnection, prefix: testRedis.prefix },
    );
    worker.on('error', () => undefined);
    await waitFor(
      async () => (await queue.queue.getJob('submit.batch-1'))?.isFailed() ?? false,
      'the job to fail for good',
      10_000,
      20,
    );
    await worker.close();
    await queue.submit('batch-1');
    const job = await queue.queue.getJob('submit.batch-1');
    expect(await job?.getState()).toBe('waiting');
    expect(job?.data).toEqual({ kind: 'submit', batchId: 'batch-1' });
  });
});
