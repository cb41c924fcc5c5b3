import {
  AsyncModel,
  type ExecuteContext,
  ModelError,
  type ModelRegistry,
  type Prompt,
} from '@llmq/core';
import { getPrompt, usageTotals } from '@llmq/db';
import { waitFor } from '@llmq/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { useEngineHarness } from '../engine.fixture.ts';

const harness = useEngineHarness();
const calls: string[] = [];

class SteadyModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'steady';
  readonly optionsSchema = z.object({});
  async *execute(
    _prompt: Prompt,
    { response }: ExecuteContext,
  ): AsyncGenerator<string, void, undefined> {
    calls.push('steady');
    yield 'steady answer';
    response.setUsage({ input: 2, output: 3 });
  }
}

/** Its provider is down: every call a retryable 503. */
class ShakyModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'shaky';
  readonly optionsSchema = z.object({});
  override readonly fallbacks = ['steady'];
  // biome-ignore lint/correctness/useYield: it fails before it answers anything
  async *execute(): AsyncGenerator<string, void, undefined> {
    calls.push('shaky');
    throw new ModelError('Service unavailable (503)', { retryable: true, status: 503 });
  }
}

/** A small context: every prompt is too long for it. */
class NarrowModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'narrow';
  readonly optionsSchema = z.object({});
  override readonly fallbacks = ['steady'];
  // biome-ignore lint/correctness/useYield: it fails before it answers anything
  async *execute(): AsyncGenerator<string, void, undefined> {
    calls.push('narrow');
    throw new ModelError('This model’s maximum context length is 8 tokens', {
      retryable: false,
      status: 400,
      contextExceeded: true,
    });
  }
}

/** A fallback whose provider key the server does not have. */
class KeylessModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'keyless';
  readonly optionsSchema = z.object({});
  override readonly needsKey = 'nowhere';
  override readonly keyEnvVar = 'NOWHERE_API_KEY';
  async *execute(): AsyncGenerator<string, void, undefined> {
    calls.push('keyless');
    yield 'never';
  }
}

/** Too small, and its first fallback has no key: the second answers. */
class CrampedModel extends AsyncModel<z.ZodObject> {
  readonly modelId = 'cramped';
  readonly optionsSchema = z.object({});
  override readonly fallbacks = ['keyless', 'steady'];
  // biome-ignore lint/correctness/useYield: it fails before it answers anything
  async *execute(): AsyncGenerator<string, void, undefined> {
    calls.push('cramped');
    throw new ModelError('prompt is too long', { retryable: false, contextExceeded: true });
  }
}

beforeAll(() => {
  const models = harness().deps.models as ModelRegistry;
  models.register(new SteadyModel());
  models.register(new ShakyModel());
  models.register(new NarrowModel());
  models.register(new KeylessModel());
  models.register(new CrampedModel());
});

async function ended(id: string) {
  await waitFor(async () => {
    const row = await getPrompt(harness().database.db, id);
    return row?.status === 'succeeded' || row?.status === 'failed';
  }, `prompt ${id} to end`);
  return (await getPrompt(harness().database.db, id)) as NonNullable<
    Awaited<ReturnType<typeof getPrompt>>
  >;
}

describe('fallback models', () => {
  it('moves to the fallback after the model’s attempts fail, and says which answered and why', async () => {
    calls.length = 0;
    harness().startWorker(1, {
      fallbackAfterAttempts: 2,
      prices: new Map([
        ['shaky', { input: 1_000, output: 1_000 }],
        ['steady', { input: 100, output: 200 }],
      ]),
    });
    const id = await harness().enqueue({ model: 'shaky', prompt: 'hello' });
    const row = await ended(id);
    expect(row).toMatchObject({
      status: 'succeeded',
      model: 'shaky',
      resolvedModel: 'steady',
      response: 'steady answer',
      attempts: 3,
      fallbackReason: 'shaky failed 2 attempts: Service unavailable (503)',
      // At the prices of the model that answered.
      costUsd: (2 * 100 + 3 * 200) / 1_000_000,
    });
    expect(calls).toEqual(['shaky', 'shaky', 'steady']);
    const today = new Date().toISOString().slice(0, 10);
    const spent = await usageTotals(harness().database.db, {
      from: today,
      to: today,
      groupBy: ['model'],
    });
    expect(spent.groups).toContainEqual({
      model: 'steady',
      requests: 1,
      inputTokens: 2,
      outputTokens: 3,
      costUsd: 0.0008,
    });
    expect(spent.groups.map((group) => group.model)).not.toContain('shaky');
  });

  it('moves to the fallback at once when the prompt is too long for the model’s context', async () => {
    calls.length = 0;
    harness().startWorker(1, { fallbackAfterAttempts: 2 });
    const id = await harness().enqueue({ model: 'narrow', prompt: 'a long prompt' });
    const row = await ended(id);
    expect(row).toMatchObject({
      status: 'succeeded',
      resolvedModel: 'steady',
      attempts: 1,
      fallbackReason:
        'narrow refused the prompt as too long for its context: This model’s maximum context length is 8 tokens',
    });
    expect(calls).toEqual(['narrow', 'steady']);
  });

  it('passes over a fallback that cannot take the prompt (no key for it) to the next', async () => {
    calls.length = 0;
    harness().startWorker(1, { fallbackAfterAttempts: 2 });
    const id = await harness().enqueue({ model: 'cramped', prompt: 'a long prompt' });
    const row = await ended(id);
    expect(row).toMatchObject({ status: 'succeeded', resolvedModel: 'steady', attempts: 1 });
    expect(row.fallbackReason).toMatch(
      /^keyless cannot take this prompt: No key found for model keyless/,
    );
    expect(calls).toEqual(['cramped', 'steady']);
  });
  it('never falls back to a model the prompt’s key may not use', async () => {
    calls.length = 0;
    harness().startWorker(1, {
      // The key may use `narrow` alone (its allowed_models): `steady` is no fallback for it.
      subjectLimits: {
        recordTokens: async () => undefined,
        allowedModelIds: async () => new Set(['narrow']),
      },
    });
    const id = await harness().enqueue({ model: 'narrow', prompt: 'far too long for it' });
    const row = await ended(id);
    expect(row).toMatchObject({ status: 'failed', resolvedModel: null });
    expect(calls).not.toContain('steady');
  });
});
