import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@llmq/core';
import {
  addUsage,
  createApiKey,
  createDatabase,
  createQueuedPrompt,
  type DatabaseHandle,
  putOwnerLimits,
  revokeApiKey,
} from '@llmq/db';
import { createRedisConnection } from '@llmq/queue';
import { createTestDatabase, createTestRedis, type TestDatabase } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minuteOf, periodOf } from './budget-period.ts';
import { type GateJob, StartGate, widestMinuteSpreadMs } from './start-gate.ts';
import { SubjectLimits } from './subject-limits.ts';
import { SubjectLimitsReader } from './subject-limits-reader.ts';

const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let database: DatabaseHandle;
let redis: Redis;
let limits: SubjectLimits;
let gate: StartGate;
const recheckMs = 300;
const logger = pino({ level: 'silent' });
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
  redis = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-limits` });
  // Limits read again at every look: each test sets its own.
  limits = new SubjectLimits(
    database.db,
    redis,
    testRedis.prefix,
    new SubjectLimitsReader(database.db, 0),
  );
  gate = new StartGate(limits, { recheckMs, logger });
});

afterAll(async () => {
  redis.disconnect();
  await testRedis.cleanup();
  await database.close();
  await testDatabase.drop();
});

const job = (owner: string, extra: Partial<GateJob> = {}): GateJob => ({
  promptId: newId(),
  owner,
  apiKeyId: null,
  batchItem: true,
  lastDelayMs: 0,
  ...extra,
});

/** Start in a minute with at least `seconds` left, so a per-minute count stays in one window. */
async function freshMinute(seconds = 5) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < seconds * 1000) await sleep(left + 50);
}

describe('StartGate', () => {
  it('costs a subject without limits no Redis call at all', async () => {
    const refusing = new Proxy({} as Redis, {
      get: (_target, property) => {
        throw new Error(`Redis was asked for ${String(property)}`);
      },
    });
    const unlimited = new SubjectLimits(
      database.db,
      refusing,
      testRedis.prefix,
      new SubjectLimitsReader(database.db),
    );
    const freeGate = new StartGate(unlimited, { recheckMs, logger });
    const verdict = await freeGate.enter(job('nobody-limits-me'));
    expect(verdict.start).toBe(true);
    if (verdict.start) await verdict.leave();
    // Nor does counting its tokens.
    await unlimited.recordTokens({ owner: 'nobody-limits-me' }, 500);
  });

  it('holds a subject whose budget is spent until the period resets', async () => {
    await putOwnerLimits(database.db, 'spent', { ...noLimits, budgetUsd: 1, budgetPeriod: 'day' });
    const first = await gate.enter(job('spent'));
    expect(first.start).toBe(true);
    await addUsage(database.db, {
      day: new Date().toISOString().slice(0, 10),
      owner: 'spent',
      apiKeyId: null,
      model: 'echo',
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 1,
    });
    const before = Date.now();
    const held = await gate.enter(job('spent', { batchItem: false }));
    expect(held.start).toBe(false);
    if (held.start) return;
    expect(held.reason).toContain('budget of $1 per day is spent');
    const resetsAt = periodOf('day', new Date()).resetsAt.getTime();
    expect(held.until).toBeGreaterThan(before);
    expect(held.until).toBe(resetsAt);
    expect(held.budgetHold?.subject).toBe('owner:spent');
    // Raised, the budget lets the prompt start (at a gate that did not see it spent lately).
    await putOwnerLimits(database.db, 'spent', { ...noLimits, budgetUsd: 2, budgetPeriod: 'day' });
    expect((await new StartGate(limits, { recheckMs, logger }).enter(job('spent'))).start).toBe(
      true,
    );
  });

  it("holds a key's prompts on the key's own budget, reading the subject from the row when the job has none", async () => {
    const key = await createApiKey(database.db, {
      id: newId(),
      name: 'capped',
      keyHash: newId(),
      owner: 'team',
      budgetUsd: 0.5,
      budgetPeriod: 'month',
    });
    await addUsage(database.db, {
      day: new Date().toISOString().slice(0, 10),
      owner: 'team',
      apiKeyId: key.id,
      model: 'echo',
      inputTokens: 1,
      outputTokens: 1,
      costUsd: 0.75,
    });
    const promptId = newId();
    await createQueuedPrompt(database.db, {
      id: promptId,
      model: 'echo',
      prompt: 'hi',
      options: {},
      conversationId: newId(),
      attachments: [],
      owner: 'team',
      apiKeyId: key.id,
    });
    const held = await gate.enter({ promptId, batchItem: false, lastDelayMs: 0 });
    expect(held).toMatchObject({ start: false });
    if (!held.start) expect(held.reason).toContain("This API key's budget of $0.5 per month");
    // Another key of the same owner is not held by it.
    expect((await gate.enter(job('team', { apiKeyId: newId() }))).start).toBe(true);
    // Revoking the key does not lift its budget from its queued work.
    await revokeApiKey(database.db, key.id);
    const revoked = new StartGate(limits, { recheckMs, logger });
    expect(await revoked.enter({ promptId, batchItem: false, lastDelayMs: 0 })).toMatchObject({
      start: false,
    });
  });

  it('gives max_concurrent places fleet-wide, back at the end, and lets a dead holder lapse', async () => {
    await putOwnerLimits(database.db, 'narrow', { ...noLimits, maxConcurrent: 1 });
    const running = await gate.enter(job('narrow'));
    expect(running.start).toBe(true);
    const waiting = job('narrow', { lastDelayMs: 1_000 });
    const held = await gate.enter(waiting);
    expect(held).toMatchObject({ start: false, reason: 'owner max_concurrent' });
    // The wait grows from the job's last one, up to the recheck interval.
    if (!held.start) expect(held.until - Date.now()).toBeLessThanOrEqual(recheckMs * 1.25);
    if (running.start) await running.leave();
    expect((await gate.enter(waiting)).start).toBe(true);

    // A worker that died holding a place: its lease lapses, and the place is free again.
    await putOwnerLimits(database.db, 'orphaned', { ...noLimits, maxConcurrent: 1 });
    await limits.counters.takePlace(
      'dead-worker-prompt',
      [{ subject: 'owner:orphaned', limit: 1 }],
      60_000,
    );
    expect((await gate.enter(job('orphaned'))).start).toBe(false);
    // The lease lapses (its end moved into the past, as time would move it; no wall-clock race
    // between a short lease and a loaded machine), but this gate asks Redis again only half a
    // second after it found the subject full.
    const orphanedPlaces = `${testRedis.prefix}:limits:running:owner:orphaned`;
    expect(await redis.zadd(orphanedPlaces, 'XX', 'CH', Date.now() - 1, 'dead-worker-prompt')).toBe(
      1,
    );
    expect((await gate.enter(job('orphaned'))).start).toBe(false);
    await sleep(600);
    expect((await gate.enter(job('orphaned'))).start).toBe(true);
  });

  it('gives each run of a prompt its own place: a run that lost its lock leaves only its own', async () => {
    await putOwnerLimits(database.db, 'rerun', { ...noLimits, maxConcurrent: 2 });
    const promptId = newId();
    const lost = await gate.enter(job('rerun', { promptId, runId: 'first-token' }));
    const taken = await gate.enter(job('rerun', { promptId, runId: 'second-token' }));
    expect(lost.start && taken.start).toBe(true);
    const running = `${testRedis.prefix}:limits:running:owner:rerun`;
    expect(await redis.zcard(running)).toBe(2);
    // The run that lost its lock ends: the run that took the job over keeps its place.
    if (lost.start) await lost.leave();
    expect(await redis.zrange(running, '0', '-1')).toEqual([`${promptId}:second-token`]);
    if (taken.start) await taken.leave();
    expect(await redis.zcard(running)).toBe(0);
  });

  it('holds batch items to the next minute once the requests of this minute are used, not interactive prompts', async () => {
    await putOwnerLimits(database.db, 'paced', { ...noLimits, requestsPerMinute: 2 });
    await freshMinute();
    expect((await gate.enter(job('paced'))).start).toBe(true);
    expect((await gate.enter(job('paced'))).start).toBe(true);
    const held = await gate.enter(job('paced'));
    expect(held).toMatchObject({ start: false, reason: 'owner requests_per_minute' });
    const nextMinute = minuteOf(Date.now()).endsAt;
    if (!held.start) {
      expect(held.until).toBeGreaterThanOrEqual(nextMinute);
      expect(held.until).toBeLessThanOrEqual(nextMinute + 5_000);
    }
    // Held again and again, jobs come back spread over up to five minutes, not every minute
    // (twenty of them all in the first 5 s would be a chance of 1 in 60^20).
    const again = await Promise.all(
      Array.from({ length: 20 }, () => gate.enter(job('paced', { lastDelayMs: 10 * 60_000 }))),
    );
    const untils = again.map((verdict) => (verdict.start ? 0 : verdict.until));
    expect(Math.min(...untils)).toBeGreaterThanOrEqual(nextMinute);
    expect(Math.max(...untils)).toBeLessThanOrEqual(nextMinute + widestMinuteSpreadMs);
    expect(Math.max(...untils)).toBeGreaterThan(nextMinute + 5_000);
    // Interactive prompts were counted when they were submitted.
    expect((await gate.enter(job('paced', { batchItem: false }))).start).toBe(true);
  });

  it("holds batch items to the next minute once this minute's answers used the tokens", async () => {
    await putOwnerLimits(database.db, 'wordy', { ...noLimits, tokensPerMinute: 100 });
    await freshMinute();
    expect((await gate.enter(job('wordy'))).start).toBe(true);
    await limits.recordTokens({ owner: 'wordy', apiKeyId: null }, 150);
    const held = await gate.enter(job('wordy'));
    expect(held).toMatchObject({ start: false, reason: 'owner tokens_per_minute' });
    expect((await gate.enter(job('wordy', { batchItem: false }))).start).toBe(true);
  });
});
