import type { ModelRegistry } from '@llmq/core';
import { getPrompt } from '@llmq/db';
import {
  type OpenAICompatibleServer,
  type RecordedRequest,
  startOpenAICompatibleServer,
  waitFor,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineHarness } from './engine.fixture.ts';
import { applyModelLimits, ModelLimitsError, resolveModelLimits } from './model-limits.ts';

const harness = useEngineHarness();
let upstream: OpenAICompatibleServer;
/** When the local provider received each request of a model, and whether it answered 429. */
const received: Array<{ model: string; at: number; limited: boolean }> = [];
let limitedAnswers = 0;

beforeAll(async () => {
  // Two models of one OpenAI-compatible provider: `busy` answers 429 (Retry-After: 1 s) to its
  // first nine requests, `calm` always answers.
  upstream = await startOpenAICompatibleServer({
    reply: (request: RecordedRequest) => {
      const model = (request.body as { model: string }).model;
      const limited = model === 'busy' && limitedAnswers < 9;
      if (limited) limitedAnswers++;
      received.push({ model, at: Date.now(), limited });
      return limited
        ? {
            status: 429,
            headers: { 'retry-after': '1' },
            error: { message: 'Rate limit reached', type: 'rate_limit_error' },
          }
        : { text: `answer from ${model}` };
    },
  });
  const openai = await import('@llmq/plugin-openai');
  await (harness().deps.models as ModelRegistry).use('@llmq/plugin-openai', openai, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: upstream.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'busy' }, { id: 'calm' }]),
    },
  });
});

afterAll(() => upstream.close());

async function statusOf(id: string): Promise<string | undefined> {
  return (await getPrompt(harness().database.db, id))?.status;
}

describe('model limits across the fleet', () => {
  it('pauses only the model whose provider answered 429, for every worker, without spending attempts', async () => {
    const { enqueue, startWorker } = harness();
    startWorker(5);
    startWorker(5);
    const busy = await Promise.all(
      [1, 2, 3].map((index) => enqueue({ model: 'busy', prompt: `busy ${index}` })),
    );
    const calm = await Promise.all(
      [1, 2, 3].map((index) => enqueue({ model: 'calm', prompt: `calm ${index}` })),
    );
    await waitFor(
      async () => (await Promise.all(calm.map(statusOf))).every((status) => status === 'succeeded'),
      'the calm model’s prompts',
    );
    await waitFor(
      async () => (await Promise.all(busy.map(statusOf))).every((status) => status === 'succeeded'),
      'the busy model’s prompts',
      20_000,
    );
    // Three 429s per busy prompt, with three attempts each: a 429 spent none.
    expect(limitedAnswers).toBe(9);
    const busyRequests = received.filter((request) => request.model === 'busy');
    // Requests already on their way when a 429 came back arrive together; after that the model
    // waited the second the provider asked for, on both workers: no gap between 0.4 and 0.9 s.
    for (let index = 1; index < busyRequests.length; index++) {
      const gap = (busyRequests[index]?.at ?? 0) - (busyRequests[index - 1]?.at ?? 0);
      expect(gap < 400 || gap >= 900, `gap of ${gap} ms before busy request ${index}`).toBe(true);
    }
    const pauses = busyRequests.filter(
      (request, index) => index > 0 && request.at - (busyRequests[index - 1]?.at ?? 0) >= 900,
    );
    expect(pauses.length).toBeGreaterThanOrEqual(2);
    // The calm model was never held up by the busy one's pauses.
    const firstLimit = busyRequests.find((request) => request.limited)?.at ?? 0;
    const calmDone = received.filter((request) => request.model === 'calm').at(-1)?.at ?? 0;
    expect(calmDone).toBeLessThan(firstLimit + 900);
    for (const id of busy) {
      expect((await getPrompt(harness().database.db, id))?.response).toBe('answer from busy');
    }
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
          const statuses = await Promise.all(ids.map(statusOf));
          mostAtOnce = Math.max(
            mostAtOnce,
            statuses.filter((status) => status === 'running').length,
          );
          return statuses.every((status) => status === 'succeeded');
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
    await queue.setLimits('echo', { rate: { max: 2, durationMs: 1_000 } });
    try {
      startWorker(10);
      const ids = await Promise.all(
        Array.from({ length: 6 }, (_, index) => enqueue({ prompt: `rated ${index}` })),
      );
      await waitFor(
        async () =>
          (await Promise.all(ids.map(statusOf))).every((status) => status === 'succeeded'),
        'every rated prompt',
        20_000,
      );
      const starts = (await Promise.all(ids.map((id) => getPrompt(database.db, id))))
        .map((row) => row?.startedAt?.getTime() ?? 0)
        .sort((a, b) => a - b);
      // Any three starts span at least the window.
      for (let index = 2; index < starts.length; index++) {
        // (claims trail BullMQ's starts by a little: the margin keeps that from mattering)
        expect((starts[index] as number) - (starts[index - 2] as number)).toBeGreaterThanOrEqual(
          800,
        );
      }
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
