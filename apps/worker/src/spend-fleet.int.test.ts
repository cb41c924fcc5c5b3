import { usageTotals } from '@llmq/db';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type EchoInput, openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

let fleet: WorkerFleet;

beforeAll(async () => {
  fleet = await openWorkerFleet();
});

afterEach(() => fleet.killAll());

afterAll(() => fleet?.close());

const workerEnvironment = {
  WORKER_CONCURRENCY: '10',
  LLMQ_MAX_STALLED_COUNT: '20',
  // Echo's words as tokens, at prices high enough to show in a sum.
  LLMQ_MODEL_PRICES: JSON.stringify({ echo: { input: 1_000, output: 2_000 } }),
};

describe('spend across a fleet of worker processes', () => {
  it('counts every stored answer once in the usage ledger while a worker is killed mid-run', async () => {
    const inputs: EchoInput[] = Array.from({ length: 300 }, (_, index) => ({
      prompt: `spend ${index} ${'word '.repeat(index % 7)}`,
      options: { delay_ms: 20, chunk_size: 16 },
    }));
    const doomed = fleet.start(workerEnvironment);
    const steady = fleet.start(workerEnvironment);
    await Promise.all([doomed, steady].map((worker) => worker.waitForLine(/worker ready/)));
    const batchId = await fleet.enqueueBatch(inputs);
    // Killed with jobs in its hands: they run again on the other worker (and a new one).
    await doomed.waitForLine(/"msg":"prompt succeeded"/);
    doomed.kill('SIGKILL');
    await doomed.exited;
    const replacement = fleet.start(workerEnvironment);
    await replacement.waitForLine(/worker ready/);
    const rows = await fleet.batchEnded(batchId, 120_000);

    expect(rows.map((row) => row.status)).toEqual(inputs.map(() => 'succeeded'));
    expect(rows.some((row) => row.attempts > 1)).toBe(true);
    for (const row of rows) {
      const expected = ((row.inputTokens ?? 0) * 1_000 + (row.outputTokens ?? 0) * 2_000) / 1e6;
      expect(row.costUsd).toBeCloseTo(expected, 12);
    }
    const spent = await usageTotals(fleet.database.db, {
      from: '2000-01-01',
      to: '2999-12-31',
      groupBy: ['model'],
    });
    const sum = (values: number[]) => values.reduce((total, value) => total + value, 0);
    expect(spent.total.requests).toBe(rows.length);
    expect(spent.total.inputTokens).toBe(sum(rows.map((row) => row.inputTokens ?? 0)));
    expect(spent.total.outputTokens).toBe(sum(rows.map((row) => row.outputTokens ?? 0)));
    expect(spent.total.costUsd).toBeCloseTo(sum(rows.map((row) => row.costUsd ?? 0)), 9);
    expect(spent.groups.map((group) => group.model)).toEqual(['echo']);
  }, 150_000);
});
