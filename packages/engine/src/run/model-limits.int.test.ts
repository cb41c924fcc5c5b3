import type { ModelRegistry } from '@llmq/core';
import { getPrompt, responses } from '@llmq/db';
import {
  type OpenAICompatibleServer,
  type RecordedRequest,
  startOpenAICompatibleServer,
  waitFor,
} from '@llmq/testing';
import { inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { applyModelLimits, ModelLimitsError, resolveModelLimits } from './model-limits.ts';

const harness = useEngineHarness();
let upstream: OpenAICompatibleServer;
/** When the local provider received each request of a model, and whether it answered 429. */
const received: Array<{ model: string; at: number; limited: boolean }> = [];
let throttledAnswers = 0;

beforeAll(async () => {
  // Three models of one OpenAI-compatible provider: `busy` always answers 429 with Retry-After:
  // 60 s, `throttled` answers 429 with Retry-After: 1 s to its first three requests, `calm`
  // always answers.
  upstream = await startOpenAICompatibleServer({
    reply: (request: RecordedRequest) => {
      const model = (request.body as { model: string }).model;
      const limited = model === 'busy' || (model === 'throttled' && throttledAnswers++ < 3);
      received.push({ model, at: Date.now(), limited });
      if (!limited) return { text: `answer from ${model}` };
      return {
        status: 429,
        headers: { 'retry-after': model === 'busy' ? '60' : '1' },
        error: { message: 'Rate limit reached', type: 'rate_limit_error' },
      };
    },
  });
  const openai = await import('@llmq/plugin-openai');
  await (harness().deps.models as ModelRegistry).use('@llmq/plugin-openai', openai, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: upstream.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'busy' }, { id: 'throttled' }, { id: 'calm' }]),
    },
  });
  // As every process does at start (openServices): no model has configured limits here.
  const { queue, deps } = harness();
  await applyModelLimits(queue, deps.models, resolveModelLimits(deps.models, {}, 600_000));
});

afterAll(() => upstream.close());

async function statusOf(id: string): Promise<string | undefined> {
  return (await getPrompt(harness().database.db, id))?.status;
}

describe('model limits across the fleet', () => {
  it('pauses only the model whose provider answered 429, for as long as it asked; others flow', async () => {
    const { enqueue, startWorker, queue } = harness();
    startWorker(5);
    startWorker(5);
    const busy = await enqueue({ model: 'busy', prompt: 'busy' });
    await waitFor(() => received.some((request) => request.model === 'busy'), 'a 429 for busy');
    // Enqueued after the busy model's 60 s pause began: they finish long before it ends.
    const calm = await Promise.all(
      [1, 2, 3].map((index) => enqueue({ model: 'calm', prompt: `calm ${index}` })),
    );
    await waitFor(
      async () => (await Promise.all(calm.map(statusOf))).every((status) => status === 'succeeded'),
      'the calm model’s prompts',
    );
    expect(await queue.queueFor('busy').getRateLimitTtl()).toBeGreaterThan(50_000);
    expect(await queue.queueFor('calm').getRateLimitTtl()).toBeLessThanOrEqual(0);
    // The busy prompt waits in its queue with no attempt spent, asked once only.
    expect(await statusOf(busy)).toBe('queued');
    expect(received.filter((request) => request.model === 'busy')).toHaveLength(1);
    // Leave no paused model with a job behind for the tests that follow.
    expect(await queue.removeWaiting(busy, 'busy')).toBe(true);
    await queue.queueFor('busy').removeRateLimitKey();
  });

  it('a 429 pauses its model on every worker and spends no attempt', async () => {
    const { enqueue, startWorker, database } = harness();
    startWorker(5);
    startWorker(5);
    // Three 429s for a prompt with three attempts: it succeeds only if a 429 spends none.
    const id = await enqueue({ model: 'throttled', prompt: 'throttled' });
    await waitFor(async () => (await statusOf(id)) === 'succeeded', 'the throttled prompt', 20_000);
    const requests = received.filter((request) => request.model === 'throttled');
    expect(requests.map((request) => request.limited)).toEqual([true, true, true, false]);
    // The pause starts after the 429 reached a worker, so the next request comes at least the
    // asked-for second later, however loaded the machine: neither worker ran it sooner.
    for (let index = 1; index < requests.length; index++) {
      const gap = (requests[index]?.at ?? 0) - (requests[index - 1]?.at ?? 0);
      expect(gap, `gap before request ${index}`).toBeGreaterThanOrEqual(995);
    }
    expect((await getPrompt(database.db, id))?.response).toBe('answer from throttled');
  });

  it('never runs more of a model at once than its concurrency, however many workers there are', async () => {
    const { enqueue, startWorker, queue, database } = harness();
    await queue.setLimits('echo', { concurrency: 2 });
    try {
      startWorker(5);
      startWorker(5);
      const ids = await Promise.all(
        Array.from({ length: 8 }, (_, index) =>
          enqueue({ prompt: `limited ${index}`, options: { delay_ms: 150, chunk_size: 1000 } }),
        ),
      );
      let mostAtOnce = 0;
      await waitFor(
        async () => {
          // One statement, so one snapshot: reading the rows one by one could see a prompt still
          // running and, a moment later, the prompt that took its place, and count three.
          const rows = await database.db
            .select({ status: responses.status })
            .from(responses)
            .where(inArray(responses.id, ids));
          const statuses = rows.map((row) => row.status);
          mostAtOnce = Math.max(
            mostAtOnce,
            statuses.filter((status) => status === 'running').length,
          );
          return (
            statuses.length === ids.length && statuses.every((status) => status === 'succeeded')
          );
        },
        'every limited prompt',
        20_000,
        5,
      );
      expect(mostAtOnce).toBeLessThanOrEqual(2);
      const rows = await Promise.all(ids.map((id) => getPrompt(database.db, id)));
      expect(rows.every((row) => row?.attempts === 1)).toBe(true);
    } finally {
      await queue.setLimits('echo', {});
    }
  });

  it('starts no more of a model per window than its rate allows', async () => {
    const { enqueue, startWorker, queue, database } = harness();
    await queue.setLimits('echo', { rate: { max: 2, durationMs: 2_000 } });
    // No window left over from an earlier test: the first one starts with the first job.
    await queue.queueFor('echo').removeRateLimitKey();
    try {
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, index) => enqueue({ prompt: `rated ${index}` })),
      );
      startWorker(10);
      await waitFor(
        async () =>
          (await Promise.all(ids.map(statusOf))).every((status) => status === 'succeeded'),
        'every rated prompt',
        20_000,
      );
      const starts = (await Promise.all(ids.map((id) => getPrompt(database.db, id))))
        .map((row) => row?.startedAt?.getTime() ?? 0)
        .sort((a, b) => a - b);
      // BullMQ's windows are fixed: each opens with the first start after the one before
      // closed, and holds at most two starts. Claims trail BullMQ's starts by a varying lag (a
      // fresh worker's first claim is the slowest), so each 2 s window is taken 800 ms short:
      // a start of the next window never lands in it unless lags differ by more than that.
      const windows: number[][] = [];
      for (const start of starts) {
        const current = windows.at(-1);
        if (current && start < (current[0] as number) + 1_200) current.push(start);
        else windows.push([start]);
      }
      expect(windows.map((window) => window.length).every((count) => count <= 2)).toBe(true);
      expect(windows.length).toBeGreaterThanOrEqual(3);
    } finally {
      await queue.setLimits('echo', {});
    }
  });

  it('aborts an attempt that outlives its model’s timeout, retries it, and fails it for good at the last attempt', async () => {
    const { enqueue, startWorker, database } = harness();
    startWorker(5, { timeoutMs: (model) => (model === 'echo' ? 300 : 600_000) });
    const slow = await enqueue({ prompt: 'too slow', options: { delay_ms: 5_000 } });
    const quick = await enqueue({ prompt: 'quick', options: { delay_ms: 10 } });
    await waitFor(
      async () => (await statusOf(slow)) === 'failed',
      'the slow prompt to fail',
      20_000,
    );
    const row = await getPrompt(database.db, slow);
    expect(row?.errorKind).toBe('PromptTimeoutError');
    expect(row?.error).toMatch(/within 300 ms/);
    expect(row?.attempts).toBe(3);
    await waitFor(async () => (await statusOf(quick)) === 'succeeded', 'the quick prompt');
  });

  it('resolves configured limits by alias, defaults the timeout, and refuses unknown models', async () => {
    const { deps, queue } = harness();
    const models = deps.models as ModelRegistry;
    const limits = resolveModelLimits(
      models,
      { calm: { concurrency: 3, rpm: 100, timeout_ms: 5_000 } },
      60_000,
    );
    expect(limits.timeoutMs('calm')).toBe(5_000);
    expect(limits.timeoutMs('echo')).toBe(60_000);
    await applyModelLimits(queue, models, limits);
    const calmQueue = queue.queueFor('calm');
    expect(await calmQueue.getGlobalConcurrency()).toBe(3);
    expect(await queue.queueFor('echo').getGlobalConcurrency()).toBeNull();
    await applyModelLimits(queue, models, resolveModelLimits(models, {}, 60_000));
    expect(await calmQueue.getGlobalConcurrency()).toBeNull();
    expect(() => resolveModelLimits(models, { nope: { concurrency: 1 } }, 1_000)).toThrow(
      ModelLimitsError,
    );
  });
});
