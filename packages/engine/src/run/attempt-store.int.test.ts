import { newId } from '@llmq/core';
import { createQueuedPrompt, getPrompt, type PromptResult } from '@llmq/db';
import { describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { createAttemptStore } from './attempt-store.ts';

const harness = useEngineHarness();

const result: PromptResult = {
  response: 'answer',
  responseJson: null,
  promptJson: null,
  inputTokens: 1,
  outputTokens: 1,
  tokenDetails: null,
  durationMs: 1,
  datetimeUtc: new Date('2026-01-01T00:00:00Z'),
  resolvedModel: null,
};

async function queuedPrompt(): Promise<string> {
  const id = newId();
  await createQueuedPrompt(harness().database.db, {
    id,
    model: 'echo',
    prompt: 'two attempts',
    options: {},
    conversationId: newId(),
    attachments: [],
  });
  return id;
}

describe('the attempt store', () => {
  it('gives a prompt claimed twice in one batch to its later attempt only', async () => {
    const store = createAttemptStore(harness().database.db);
    const id = await queuedPrompt();
    // Submitted in the same turn: one statement for both.
    const [earlier, later] = await Promise.all([store.claim(id, 1), store.claim(id, 2)]);
    expect(earlier).toBeUndefined();
    expect(later).toMatchObject({ id, attempts: 2, status: 'running' });
  });

  it('tells only the attempt that owns the row that its answer was stored', async () => {
    const store = createAttemptStore(harness().database.db);
    const id = await queuedPrompt();
    expect(await store.claim(id, 2)).toBeDefined();
    const [stale, owner] = await Promise.all([
      store.complete(id, 1, { ...result, response: 'stale' }),
      store.complete(id, 2, { ...result, response: 'owner' }),
    ]);
    expect({ stale, owner }).toEqual({ stale: false, owner: true });
    expect(await getPrompt(harness().database.db, id)).toMatchObject({
      status: 'succeeded',
      response: 'owner',
      attempts: 2,
    });
  });
});
