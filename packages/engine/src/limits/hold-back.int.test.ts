import type { PromptJob } from '@llmq/contracts';
import { newId } from '@llmq/core';
import { createRedisConnection } from '@llmq/queue';
import { createTestRedis } from '@llmq/testing';
import { DelayedError, type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { holdBack } from './hold-back.ts';

const testRedis = createTestRedis();
const logger = pino({ level: 'silent' });
let connection: Redis;
let queue: Queue<PromptJob>;
let worker: Worker<PromptJob>;
const queueName = 'hold-back-test';

beforeAll(async () => {
  connection = createRedisConnection(testRedis.url, {
    name: `${testRedis.prefix}-hold-back`,
    blocking: true,
  });
  queue = new Queue<PromptJob>(queueName, { connection, prefix: testRedis.prefix });
  // Jobs taken by hand, as two workers would take them one after the other.
  worker = new Worker<PromptJob>(queueName, null, {
    connection,
    prefix: testRedis.prefix,
    autorun: false,
  });
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  connection.disconnect();
  await testRedis.cleanup();
});

const startsOf = async (id: string) => Number(await connection.hget(queue.toKey(id), 'ats'));

describe('holdBack', () => {
  it('gives the start back before the job leaves this worker, so a worker taking it at once counts its own start', async () => {
    const promptId = newId();
    await queue.add('prompt', { promptId, model: 'echo' }, { jobId: promptId });
    const token = newId();
    const job = (await worker.getNextJob(token)) as Job<PromptJob>;
    expect(job.id).toBe(promptId);
    expect(await startsOf(promptId)).toBe(1);
    // The moment the job is delayed another worker may take it: here it does, at once.
    const takenElsewhere: Array<Job<PromptJob> | undefined> = [];
    const moveToDelayed = job.moveToDelayed.bind(job);
    job.moveToDelayed = async (timestamp, lockToken) => {
      await moveToDelayed(timestamp, lockToken);
      await job.promote();
      takenElsewhere.push(await worker.getNextJob(newId()));
    };
    const held = holdBack(
      job,
      token,
      { start: false, until: Date.now() + 60_000, reason: 'test' },
      connection,
      logger,
    );
    await expect(held).rejects.toBeInstanceOf(DelayedError);
    expect(takenElsewhere[0]?.id).toBe(promptId);
    // The other worker's start is the job's first: the held-back one was given back.
    expect(takenElsewhere[0]?.attemptsStarted).toBe(1);
    expect(await startsOf(promptId)).toBe(1);
  });

  it('gives nothing back for a job whose lock another worker holds', async () => {
    const promptId = newId();
    await queue.add('prompt', { promptId, model: 'echo' }, { jobId: promptId });
    const job = (await worker.getNextJob(newId())) as Job<PromptJob>;
    const held = holdBack(
      job,
      'not-this-workers-token',
      { start: false, until: Date.now() + 60_000, reason: 'test' },
      connection,
      logger,
    );
    await expect(held).rejects.toThrow();
    expect(await startsOf(promptId)).toBe(1);
    expect(await job.getState()).toBe('active');
  });
});
