import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { LlmqClient } from '@llmq/client';
import { getPrompt, promptCountsByStatus } from '@llmq/db';
import {
  freePort,
  type ServiceProcess,
  startRedisServer,
  startServiceProcess,
  waitFor,
} from '@llmq/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { openWorkerFleet, successesByPrompt, type WorkerFleet } from './worker-fleet.fixture.ts';

const apiEntry = new URL('../../api/src/main.ts', import.meta.url).pathname;
const cleanups: Array<() => Promise<unknown>> = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Reconcile often in tests: a stranded prompt gets its job after ~3 s instead of ~45 s. */
const reconcileQuickly = {
  LLMQ_RECONCILE_INTERVAL_MS: '500',
  LLMQ_RECONCILE_GRACE_MS: '3000',
};

/** An api process of the fleet (no embedded worker), listening on `port`. */
async function startApi(
  fleet: WorkerFleet,
  port: number,
  dataFolder: string,
  started: ServiceProcess[],
): Promise<ServiceProcess> {
  const api = startServiceProcess(apiEntry, {
    ...fleet.settings,
    LLMQ_PLUGINS: '@llmq/plugin-echo',
    LLMQ_DATA_DIR: dataFolder,
    LLMQ_EMBEDDED_WORKER: 'false',
    LLMQ_PRIVATE_REDIS: 'false',
    LLMQ_SHUTDOWN_GRACE_MS: '2000',
    HOST: '127.0.0.1',
    PORT: String(port),
  });
  started.push(api);
  await api.waitForLine(/llmq listening on/, 60_000);
  return api;
}

/**
 * POST a prompt until the api accepts it, as a careful client does: the same Idempotency-Key on
 * every try, again after a refused connection, a dropped one, or a 503. Returns the id.
 */
async function submitUntilAccepted(baseUrl: string, key: string, prompt: string): Promise<string> {
  for (;;) {
    let status: number | undefined;
    try {
      const response = await fetch(`${baseUrl}/v1/prompts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': key },
        body: JSON.stringify({ model: 'echo', prompt, options: { delay_ms: 2, chunk_size: 32 } }),
      });
      status = response.status;
      const body = (await response.json()) as { id?: string };
      if (status === 202) return body.id as string;
    } catch {
      // The api died or stopped under this request: the key makes a retry safe.
    }
    if (status !== undefined && status !== 503) {
      throw new Error(`POST /v1/prompts answered ${status} for ${key}`);
    }
    await sleep(25);
  }
}

const statusCounts = (fleet: WorkerFleet) => promptCountsByStatus(fleet.database.db);

/** Wait until `total` prompts have succeeded; if they do not, say how many are in each status. */
async function allSucceeded(fleet: WorkerFleet, total: number): Promise<void> {
  try {
    await waitFor(
      async () => (await statusCounts(fleet)).succeeded === total,
      'every accepted prompt to succeed',
      120_000,
      200,
    );
  } catch (error) {
    throw new Error(`${(error as Error).message}: ${JSON.stringify(await statusCounts(fleet))}`);
  }
}

const reconciledLines = (processes: readonly ServiceProcess[]) =>
  processes
    .flatMap((process) => process.lines)
    .filter((line) => line.includes('reconciler: a queued prompt had no job'));

describe('the front door through api deaths and a Redis that forgets', () => {
  it('strands and doubles nothing while the api is SIGKILLed 6 times and SIGTERMed 6 times under a flood of POSTs', async () => {
    const fleet = await openWorkerFleet();
    const dataFolder = await mkdtemp(join(tmpdir(), 'llmq-front-door-'));
    const apis: ServiceProcess[] = [];
    cleanups.push(async () => {
      for (const api of apis) api.kill('SIGKILL');
      await Promise.all(apis.map((api) => api.exited));
      await fleet.close();
      await rm(dataFolder, { recursive: true, force: true });
    });
    const workers = [fleet.start(reconcileQuickly), fleet.start(reconcileQuickly)];
    await Promise.all(workers.map((worker) => worker.waitForLine(/worker ready/)));
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    let api = await startApi(fleet, port, dataFolder, apis);

    const total = 1_000;
    const idsByKey = new Map<string, string>();
    let next = 0;
    let chaosOver = false;
    // Ten clients, each pacing itself, so the flood spans every restart below.
    const lanes = Array.from({ length: 10 }, async () => {
      while (next < total) {
        const index = next++;
        const key = `flood-${index}`;
        idsByKey.set(key, await submitUntilAccepted(baseUrl, key, `flood ${index}`));
        if (!chaosOver) await sleep(120);
      }
    });
    for (let round = 0; round < 12; round++) {
      await sleep(400 + Math.random() * 400);
      api.kill(round < 6 ? 'SIGKILL' : 'SIGTERM');
      expect(await api.exited).toBe(round < 6 ? 'SIGKILL' : 0);
      api = await startApi(fleet, port, dataFolder, apis);
    }
    chaosOver = true;
    await Promise.all(lanes);

    // Each key named one prompt, every try: no client saw two ids for one request.
    expect(idsByKey.size).toBe(total);
    const ids = new Set(idsByKey.values());
    expect(ids.size).toBe(total);
    // Each key names its own prompt for good: asked again, the api answers the same id, and
    // that row holds the key's prompt.
    const keys = [...idsByKey.keys()];
    for (let start = 0; start < keys.length; start += 50) {
      await Promise.all(
        keys.slice(start, start + 50).map(async (key) => {
          const index = Number(key.slice('flood-'.length));
          const again = await submitUntilAccepted(baseUrl, key, `flood ${index}`);
          expect(again, key).toBe(idsByKey.get(key));
          expect((await getPrompt(fleet.database.db, again))?.prompt, key).toBe(`flood ${index}`);
        }),
      );
    }

    await allSucceeded(fleet, total);
    // Nothing but the accepted prompts was written, each ran to success once.
    expect(await statusCounts(fleet)).toEqual({ succeeded: total });
    const successes = successesByPrompt(workers);
    expect([...successes.values()].filter((count) => count !== 1)).toEqual([]);
    expect(new Set(successes.keys())).toEqual(ids);
    console.log(
      `front door under api deaths: ${total} accepted through 6 SIGKILLs and 6 SIGTERMs, ${reconciledLines(workers).length} stranded rows given their job by the reconciler, 0 stranded, 0 doubled`,
    );
  }, 300_000);

  it('finishes every accepted prompt after Redis without persistence is SIGKILLed mid-run, and every stream reads the stored text', async () => {
    const redisFolder = await mkdtemp(join(tmpdir(), 'llmq-forgetful-redis-'));
    const redisPort = await freePort();
    const redisProcesses: ServiceProcess[] = [];
    const startRedis = async () => {
      const redis = await startRedisServer(redisPort, redisFolder, { persistent: false });
      redisProcesses.push(redis);
      return redis;
    };
    let redis = await startRedis();
    const fleet = await openWorkerFleet({ redisUrl: `redis://127.0.0.1:${redisPort}` });
    const dataFolder = await mkdtemp(join(tmpdir(), 'llmq-front-door-'));
    const apis: ServiceProcess[] = [];
    cleanups.push(async () => {
      for (const process of [...apis, ...redisProcesses]) process.kill('SIGKILL');
      await Promise.all([...apis, ...redisProcesses].map((process) => process.exited));
      await fleet.close();
      await rm(dataFolder, { recursive: true, force: true });
      await rm(redisFolder, { recursive: true, force: true });
    });
    const workerSettings = { ...reconcileQuickly, WORKER_CONCURRENCY: '10' };
    const workers = [fleet.start(workerSettings), fleet.start(workerSettings)];
    await Promise.all(workers.map((worker) => worker.waitForLine(/worker ready/)));
    const port = await freePort();
    await startApi(fleet, port, dataFolder, apis);
    const client = new LlmqClient({ baseUrl: `http://127.0.0.1:${port}` });

    const total = 300;
    const ids: string[] = [];
    for (let index = 0; index < total; index++) {
      const accepted = await client.createPrompt({
        model: 'echo',
        prompt: `forgotten ${index}`,
        options: { delay_ms: 15, chunk_size: 8 },
      });
      ids.push(accepted.id);
    }
    // A follower on every prompt, through the api, resuming after drops as browsers do.
    const followed = ids.map((id) => client.streamText(id, { maxReconnects: 100 }));
    await waitFor(
      async () => ((await statusCounts(fleet)).succeeded ?? 0) >= 60,
      'some prompts to succeed before Redis dies',
      60_000,
      50,
    );
    redis.kill('SIGKILL');
    await redis.exited;
    await sleep(500);
    redis = await startRedis();

    await allSucceeded(fleet, total);
    const ended = new Set<number>();
    followed.forEach((follower, index) => void follower.finally(() => ended.add(index)));
    try {
      await waitFor(async () => ended.size === total, 'every stream to end', 60_000, 100);
    } catch (error) {
      const open = ids.filter((_, index) => !ended.has(index));
      const logs = await Promise.all(open.map((id) => fleet.events.read(id)));
      throw new Error(
        `${(error as Error).message}: ${open.length} still open, e.g. ${open[0]} whose log holds ${JSON.stringify(logs[0]?.map((entry) => entry.event.type))}`,
      );
    }
    const texts = await Promise.all(followed);
    const stored = await Promise.all(ids.map((id) => client.getPrompt(id)));
    const mismatched = stored.filter((prompt, index) => prompt.text !== texts[index]?.text);
    expect(mismatched.map((prompt) => prompt.id)).toEqual([]);
    console.log(
      `Redis without persistence SIGKILLed mid-run: ${total} accepted, ${total} succeeded, ${reconciledLines(workers).length} queued prompts given their job again, every stream's text equals the stored text`,
    );
  }, 300_000);
});
