import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { batchCounts } from '@llmq/db';
import { EchoModel } from '@llmq/plugin-echo';
import { promptQueueName } from '@llmq/queue';
import {
  freePort,
  type ServiceProcess,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
  testEnvironment,
  waitFor,
} from '@llmq/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { type EchoInput, openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const workerEnvironment = { WORKER_CONCURRENCY: '10' };

function echoInputs(label: string, count: number): EchoInput[] {
  return Array.from({ length: count }, (_, index) => ({
    prompt: `${label} ${index}`,
    options: { delay_ms: 20, chunk_size: 16 },
  }));
}

async function expectedTexts(inputs: readonly EchoInput[]): Promise<string[]> {
  return Promise.all(
    inputs.map(async (input) =>
      (await new EchoModel().prompt(input.prompt, { options: input.options })).text(),
    ),
  );
}

/** Every item succeeded with echo's text, and its log ends with one `done` and nothing after. */
async function expectBatchSucceeded(fleet: WorkerFleet, batchId: string, expected: string[]) {
  const rows = await fleet.batchEnded(batchId, 90_000);
  expect(rows.map((row) => row.status)).toEqual(expected.map(() => 'succeeded'));
  expect(rows.map((row) => row.response)).toEqual(expected);
  for (const row of rows) {
    const log = await fleet.events.read(row.id);
    expect(log.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
    expect(log.at(-1)?.event.type).toBe('done');
  }
}

async function succeededAtLeast(fleet: WorkerFleet, batchId: string, count: number) {
  await waitFor(
    async () => (await batchCounts(fleet.database.db, batchId)).succeeded >= count,
    `${count} items to succeed`,
    30_000,
    50,
  );
}

const linesOf = (workers: readonly ServiceProcess[]) => workers.flatMap((worker) => worker.lines);

describe('worker processes through outages', () => {
  it('survive a Redis restart mid-run: every job finishes, and jobs queued after it run too', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'llmq-redis-'));
    const port = await freePort();
    const redisProcesses: ServiceProcess[] = [];
    cleanups.push(async () => {
      for (const process of redisProcesses) process.kill('SIGKILL');
      await Promise.all(redisProcesses.map((process) => process.exited));
      await rm(folder, { recursive: true, force: true });
    });
    const startRedis = async () => {
      const redis = await startRedisServer(port, folder, { persistent: true });
      redisProcesses.push(redis);
      return redis;
    };
    let redis = await startRedis();
    const fleet = await openWorkerFleet({ redisUrl: `redis://127.0.0.1:${port}` });
    cleanups.push(() => fleet.close());
    const workers = [fleet.start(workerEnvironment), fleet.start(workerEnvironment)];
    await Promise.all(workers.map((worker) => worker.waitForLine(/worker ready/)));

    const before = echoInputs('before the restart', 300);
    const beforeId = await fleet.enqueueBatch(before);
    await succeededAtLeast(fleet, beforeId, 50);
    redis.kill('SIGTERM');
    await redis.exited;
    // Down long enough for every connection to notice and for the job locks to lapse.
    await sleep(3_000);
    redis = await startRedis();

    await expectBatchSucceeded(fleet, beforeId, await expectedTexts(before));
    // The workers take new jobs again (BullMQ issues #2964 and #2466: after a restart,
    // workers that reconnected but never blocked for jobs again).
    const after = echoInputs('after the restart', 50);
    const afterId = await fleet.enqueueBatch(after);
    await expectBatchSucceeded(fleet, afterId, await expectedTexts(after));
    expect(await fleet.queue.queueFor('echo').getWorkersCount()).toBeGreaterThanOrEqual(2);
    expect(promptQueueName('echo')).toBe(fleet.queue.queueFor('echo').name);

    const lines = linesOf(workers);
    expect(lines.some((line) => line.includes('"msg":"redis connection error"'))).toBe(true);
    expect(lines.some((line) => line.includes('"msg":"redis connection restored"'))).toBe(true);
  }, 150_000);

  it('survive PostgreSQL unreachable for a few seconds mid-run: jobs wait, then finish', async () => {
    const postgresPort = Number(new URL(testEnvironment.postgresAdminUrl).port || 5432);
    const proxy: TcpProxy = await startTcpProxy(postgresPort);
    cleanups.push(() => proxy.close());
    const fleet = await openWorkerFleet({ workerDatabasePort: proxy.port });
    cleanups.push(() => fleet.close());
    const workers = [fleet.start(workerEnvironment), fleet.start(workerEnvironment)];
    await Promise.all(workers.map((worker) => worker.waitForLine(/worker ready/)));

    const inputs = echoInputs('through the outage', 300);
    const batchId = await fleet.enqueueBatch(inputs);
    await succeededAtLeast(fleet, batchId, 50);
    proxy.cut();
    await sleep(3_000);
    proxy.restore();

    await expectBatchSucceeded(fleet, batchId, await expectedTexts(inputs));
    const lines = linesOf(workers);
    expect(lines.some((line) => line.includes('database unreachable'))).toBe(true);
    expect(lines.some((line) => line.includes('database reachable again'))).toBe(true);
    // The outage spent no attempt: no attempt failed, so nothing could fail for good.
    expect(lines.filter((line) => line.includes('"msg":"job attempt failed"'))).toEqual([]);
    expect(lines.some((line) => line.includes('"msg":"prompt failed"'))).toBe(false);
  }, 150_000);
});
