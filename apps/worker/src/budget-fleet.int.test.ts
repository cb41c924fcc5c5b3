import { setTimeout as sleep } from 'node:timers/promises';
import { newId } from '@llmq/core';
import {
  batchCounts,
  batchItemsPage,
  createBatch,
  getOwnerLimits,
  putOwnerLimits,
  type ResponseRow,
  spendSince,
} from '@llmq/db';
import { limitsChanged, periodOf, SubjectLimits } from '@llmq/engine';
import { createRedisConnection } from '@llmq/queue';
import { waitFor } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

const workerConcurrency = 4;
const workers = 2;
const noLimits = {
  budgetUsd: null,
  budgetPeriod: null,
  requestsPerMinute: null,
  tokensPerMinute: null,
  maxConcurrent: null,
} as const;

let fleet: WorkerFleet;

beforeAll(async () => {
  fleet = await openWorkerFleet();
  for (let index = 0; index < workers; index++) {
    fleet.start({
      WORKER_CONCURRENCY: String(workerConcurrency),
      // USD per million tokens: each echo answer costs a few dollars, so a budget of $10 is
      // reached after a handful of items.
      LLMQ_MODEL_PRICES: JSON.stringify({ echo: { input: 50_000, output: 50_000 } }),
      LLMQ_LIMITS_RECHECK_MS: '300',
    });
  }
}, 60_000);

afterAll(async () => {
  await fleet?.close();
});

/** A batch of an owner, its jobs carrying the owner as the api's submissions do. */
async function ownersBatch(owner: string, items: number): Promise<string> {
  const batchId = newId();
  const rows = Array.from({ length: items }, (_, index) => ({
    id: newId(),
    model: 'echo',
    prompt: `item ${index} of ${owner}: one two three four five`,
    // Slow enough that several items of each owner run at once.
    options: { delay_ms: 40, chunk_size: 8 },
    attachments: [],
    owner,
  }));
  await createBatch(fleet.database.db, {
    id: batchId,
    model: 'echo',
    template: {},
    owner,
    items: rows,
  });
  await fleet.queue.addBulk(
    rows.map((row) => ({ promptId: row.id, model: 'echo', owner, apiKeyId: null })),
    'batch',
    owner,
  );
  return batchId;
}

const spentThisWeek = (owner: string) =>
  spendSince(
    fleet.database.db,
    { owner },
    periodOf('week', new Date()).start.toISOString().slice(0, 10),
  );

/** The most of these rows that ran at one time, from their start and end times. */
function mostAtOnce(rows: readonly ResponseRow[]): number {
  const moments = rows.flatMap((row) => [
    { at: (row.startedAt as Date).getTime(), change: 1 },
    { at: (row.completedAt as Date).getTime(), change: -1 },
  ]);
  // An end before a start at the same instant: the place was given back first.
  moments.sort((a, b) => a.at - b.at || a.change - b.change);
  let running = 0;
  let most = 0;
  for (const moment of moments) {
    running += moment.change;
    most = Math.max(most, running);
  }
  return most;
}

describe('budgets and limits across two worker processes', () => {
  it('overshoots no budget beyond the items running when it was reached; the rest stay queued and finish once it is raised', async () => {
    const budgetUsd = 10;
    await putOwnerLimits(fleet.database.db, 'x', {
      ...noLimits,
      budgetUsd,
      budgetPeriod: 'week',
    });
    await putOwnerLimits(fleet.database.db, 'y', {
      ...noLimits,
      budgetUsd: 1_000_000,
      budgetPeriod: 'month',
      maxConcurrent: 2,
    });
    const xBatch = await ownersBatch('x', 60);
    const yBatch = await ownersBatch('y', 12);

    // Owner y's budget is far away: its items all run, never more than two at once.
    const yRows = await fleet.batchEnded(yBatch, 60_000);
    expect(yRows.map((row) => row.status)).toEqual(yRows.map(() => 'succeeded'));
    expect(mostAtOnce(yRows)).toBeLessThanOrEqual(2);

    // Owner x's budget is reached and nothing of x runs any more.
    await waitFor(
      async () =>
        (await spentThisWeek('x')) >= budgetUsd &&
        (await batchCounts(fleet.database.db, xBatch)).running === 0,
      "owner x's budget to be reached and its running items to end",
      60_000,
      100,
    );
    // An item that passed its check just before the last end may still be between the check
    // and its claim: it has long started (and ended) a second later.
    await waitFor(
      async () => (await batchCounts(fleet.database.db, xBatch)).running === 0,
      "owner x's last items to end",
      30_000,
      100,
    );
    await sleep(1_000);
    const reached = await batchCounts(fleet.database.db, xBatch);
    expect(reached.running).toBe(0);
    // Many times the recheck interval later, still nothing more has started.
    await sleep(2_000);
    const later = await batchCounts(fleet.database.db, xBatch);
    expect(later).toEqual(reached);
    expect(later.failed).toBe(0);
    expect(later.queued).toBeGreaterThan(0);
    const rows = await batchItemsPage(fleet.database.db, xBatch, -1, 1_000);
    const answered = rows.filter((row) => row.status === 'succeeded');
    const mostCostly = Math.max(...answered.map((row) => row.costUsd ?? 0));
    expect(mostCostly).toBeGreaterThan(0);
    const spent = await spentThisWeek('x');
    // Each item started only while spend < budget: beyond it, at most what was running then.
    expect(spent).toBeLessThanOrEqual(budgetUsd + workers * workerConcurrency * mostCostly);
    expect(spent).toBeCloseTo(
      answered.reduce((sum, row) => sum + (row.costUsd ?? 0), 0),
      6,
    );
    // Held-back items were never claimed: still queued with no attempt, no start time.
    for (const row of rows.filter((each) => each.status === 'queued')) {
      expect(row.attempts).toBe(0);
      expect(row.startedAt).toBeNull();
    }

    // Held until the week's end, not a recheck interval: none was taken again meanwhile (its
    // job's delay reaches past the next few minutes).
    const heldJob = await fleet.queue
      .queueFor('echo')
      .getJob(rows.find((row) => row.status === 'queued')?.id as string);
    expect(await heldJob?.getState()).toBe('delayed');
    expect((heldJob?.timestamp ?? 0) + (heldJob?.delay ?? 0)).toBeGreaterThan(Date.now() + 60_000);

    // A raised budget, as the admin routes raise it, lets the rest run at once, each on its
    // first attempt.
    const redis = createRedisConnection(fleet.settings.REDIS_URL, { name: 'budget-fleet-admin' });
    try {
      const subjectLimits = new SubjectLimits(
        fleet.database.db,
        redis,
        fleet.settings.LLMQ_QUEUE_PREFIX,
      );
      const before = await getOwnerLimits(fleet.database.db, 'x');
      const after = await putOwnerLimits(fleet.database.db, 'x', {
        ...noLimits,
        budgetUsd: 1_000_000,
        budgetPeriod: 'week',
      });
      await limitsChanged({ subjectLimits, queue: fleet.queue }, 'owner:x', before, after);
    } finally {
      redis.disconnect();
    }
    const finished = await fleet.batchEnded(xBatch, 90_000);
    expect(finished.map((row) => row.status)).toEqual(finished.map(() => 'succeeded'));
    expect(finished.map((row) => row.attempts)).toEqual(finished.map(() => 1));
  }, 240_000);
});
