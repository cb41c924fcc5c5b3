import type { PromptJob } from '@llmq/contracts';
import { newId } from '@llmq/core';
import {
  addUsage,
  createDatabase,
  type DatabaseHandle,
  getOwnerLimits,
  putOwnerLimits,
} from '@llmq/db';
import { createRedisConnection, PromptQueue, promptQueueName } from '@llmq/queue';
import { createTestDatabase, createTestRedis, type TestDatabase } from '@llmq/testing';
import { DelayedError, type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { limitsChanged } from '../keys/limits-changed.ts';
import { periodOf } from './budget-period.ts';
import { holdBack } from './hold-back.ts';
import { StartGate } from './start-gate.ts';
import { SubjectLimits } from './subject-limits.ts';
import { SubjectLimitsReader } from './subject-limits-reader.ts';

const testRedis = createTestRedis();
const logger = pino({ level: 'silent' });
let testDatabase: TestDatabase;
let database: DatabaseHandle;
let connection: Redis;
let queue: PromptQueue;
let worker: Worker<PromptJob>;
let limits: SubjectLimits;
let gate: StartGate;
const noLimits = {
  budgetUsd: null,
  budgetPeriod: null,
  requestsPerMinute: null,
  tokensPerMinute: null,
  maxConcurrent: null,
} as const;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await createDatabase(testDatabase.url, { maxConnections: 5 });
  await database.migrate();
  connection = createRedisConnection(testRedis.url, {
    name: `${testRedis.prefix}-held`,
    blocking: true,
  });
  queue = new PromptQueue(connection, { prefix: testRedis.prefix });
  // Jobs taken by hand, as a worker takes them.
  worker = new Worker<PromptJob>(promptQueueName('echo'), null, {
    connection,
    prefix: testRedis.prefix,
    autorun: false,
  });
  limits = new SubjectLimits(
    database.db,
    connection,
    testRedis.prefix,
    new SubjectLimitsReader(database.db, 0),
  );
  gate = new StartGate(limits, { recheckMs: 300, logger });
});

afterAll(async () => {
  await worker.close();
  await queue.close();
  connection.disconnect();
  await testRedis.cleanup();
  await database.close();
  await testDatabase.drop();
});

/** An owner whose daily budget of $1 is spent. */
async function spentOwner(): Promise<string> {
  const owner = `owner-${newId()}`;
  await putOwnerLimits(database.db, owner, { ...noLimits, budgetUsd: 1, budgetPeriod: 'day' });
  await addUsage(database.db, {
    day: new Date().toISOString().slice(0, 10),
    owner,
    apiKeyId: null,
    model: 'echo',
    inputTokens: 1,
    outputTokens: 1,
    costUsd: 1,
  });
  return owner;
}

/** Add a job of the owner, take it as a worker, and run the gate and the hold-back on it. */
async function holdOne(owner: string, beforeHold?: () => Promise<void>): Promise<string> {
  const promptId = newId();
  await queue.add({ promptId, model: 'echo', owner, apiKeyId: null });
  const token = newId();
  const job = (await worker.getNextJob(token)) as Job<PromptJob>;
  expect(job.id).toBe(promptId);
  const verdict = await gate.enter({
    promptId,
    owner,
    apiKeyId: null,
    batchItem: false,
    lastDelayMs: 0,
  });
  expect(verdict.start).toBe(false);
  if (verdict.start) throw new Error('the gate let a spent budget start');
  await beforeHold?.();
  await expect(holdBack(job, token, verdict, connection, logger, gate)).rejects.toBeInstanceOf(
    DelayedError,
  );
  return promptId;
}

const stateOf = async (promptId: string) =>
  (await queue.queueFor('echo').getJob(promptId))?.getState();

describe('budget holds', () => {
  it('wait until the period resets, and a raised budget promotes them at once', async () => {
    const owner = await spentOwner();
    const held = [await holdOne(owner), await holdOne(owner)];
    const resetsAt = periodOf('day', new Date()).resetsAt.getTime();
    for (const promptId of held) {
      expect(await stateOf(promptId)).toBe('delayed');
      const job = await queue.queueFor('echo').getJob(promptId);
      // Until the reset, not a recheck interval: no pickup before then.
      expect((job?.timestamp ?? 0) + (job?.delay ?? 0)).toBeGreaterThan(resetsAt - 60_000);
    }
    // One of them went away meanwhile (cancelled): the release skips it.
    await queue.queueFor('echo').remove(held[1] as string);
    const before = await getOwnerLimits(database.db, owner);
    const after = await putOwnerLimits(database.db, owner, {
      ...noLimits,
      budgetUsd: 5,
      budgetPeriod: 'day',
    });
    await limitsChanged({ subjectLimits: limits, queue }, `owner:${owner}`, before, after);
    expect(await stateOf(held[0] as string)).toBe('waiting');
    expect(await stateOf(held[1] as string)).toBeUndefined();
    // The set was taken whole: a second release has nothing to promote.
    expect(await limits.held.release(`owner:${owner}`, queue)).toBe(0);
    await queue.queueFor('echo').remove(held[0] as string);
  });

  it('a lowered budget promotes nothing', async () => {
    const owner = await spentOwner();
    const promptId = await holdOne(owner);
    const before = await getOwnerLimits(database.db, owner);
    const after = await putOwnerLimits(database.db, owner, {
      ...noLimits,
      budgetUsd: 0.5,
      budgetPeriod: 'day',
    });
    await limitsChanged({ subjectLimits: limits, queue }, `owner:${owner}`, before, after);
    expect(await stateOf(promptId)).toBe('delayed');
  });

  it('a job held on limits read before a release is promoted by its own worker', async () => {
    const owner = await spentOwner();
    // The release comes between the gate's decision and the hold: the job is not in the set
    // the release took, and its hold was decided on the old budget.
    const promptId = await holdOne(owner, async () => {
      expect(await limits.held.release(`owner:${owner}`, queue)).toBe(0);
    });
    expect(await stateOf(promptId)).toBe('waiting');
    await queue.queueFor('echo').remove(promptId);
  });

  it('remembers a spent budget for a while: the next jobs of the subject read no spend', async () => {
    const owner = await spentOwner();
    const job = { owner, apiKeyId: null, batchItem: true, lastDelayMs: 0 };
    const first = await gate.enter({ ...job, promptId: newId() });
    expect(first.start).toBe(false);
    // Raised behind the gate's back (no release): read again, the budget would not be spent.
    await putOwnerLimits(database.db, owner, { ...noLimits, budgetUsd: 5, budgetPeriod: 'day' });
    const second = await gate.enter({ ...job, promptId: newId() });
    expect(second).toMatchObject({ start: false });
    if (!second.start && !first.start) expect(second.until).toBe(first.until);
    // A gate without that memory reads the spend and lets it start.
    const fresh = new StartGate(limits, { recheckMs: 300, logger });
    expect((await fresh.enter({ ...job, promptId: newId() })).start).toBe(true);
  });
});

describe('max_concurrent waits', () => {
  /** An owner running one prompt of its max_concurrent 1, and a gate that wakes waiters. */
  async function fullOwner() {
    const owner = `owner-${newId()}`;
    await putOwnerLimits(database.db, owner, { ...noLimits, maxConcurrent: 1 });
    const waking = new StartGate(limits, { recheckMs: 300, logger, queue });
    const running = await waking.enter({
      promptId: newId(),
      owner,
      batchItem: true,
      lastDelayMs: 0,
    });
    expect(running.start).toBe(true);
    return { owner, waking, running };
  }

  /** Add a job of the owner, take it, and hold it back at the waking gate. */
  async function waitOne(owner: string, waking: StartGate, beforeHold?: () => Promise<void>) {
    const promptId = newId();
    await queue.add({ promptId, model: 'echo', owner, apiKeyId: null });
    const token = newId();
    const job = (await worker.getNextJob(token)) as Job<PromptJob>;
    expect(job.id).toBe(promptId);
    const verdict = await waking.enter({ promptId, owner, batchItem: true, lastDelayMs: 0 });
    if (verdict.start) throw new Error('the gate gave a full subject a place');
    expect(verdict.placeWait).toEqual({ subject: `owner:${owner}`, limit: 1 });
    await beforeHold?.();
    await expect(holdBack(job, token, verdict, connection, logger, waking)).rejects.toBeInstanceOf(
      DelayedError,
    );
    return promptId;
  }

  it('wake the longest waiter when a place is given back', async () => {
    const { owner, waking, running } = await fullOwner();
    const first = await waitOne(owner, waking);
    const second = await waitOne(owner, waking);
    expect(await stateOf(first)).toBe('delayed');
    if (running.start) await running.leave();
    expect(await stateOf(first)).toBe('waiting');
    expect(await stateOf(second)).toBe('delayed');
    await queue.queueFor('echo').remove(first);
    await queue.queueFor('echo').remove(second);
  });

  it('a waiter named after the place was given back wakes itself', async () => {
    const { owner, waking, running } = await fullOwner();
    const promptId = await waitOne(owner, waking, async () => {
      if (running.start) await running.leave();
    });
    expect(await stateOf(promptId)).toBe('waiting');
    await queue.queueFor('echo').remove(promptId);
  });
});
