import { newId } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { createChainStep, storeStepAnswer } from './chain-steps.ts';
import { createQueuedPrompt, type QueuedPromptInput } from './create-queued-prompt.ts';
import { drivers, useDatabase } from './database.fixture.ts';
import type { Database } from './database.ts';
import { getPrompt } from './get-prompt.ts';
import { completePrompts, markPromptsRunning } from './prompt-attempt-batches.ts';
import { completePrompt, failPrompt, type PromptResult, requeuePrompt } from './prompt-attempts.ts';
import { usageTotals } from './usage-totals.ts';

function input(overrides: Partial<QueuedPromptInput> = {}): QueuedPromptInput {
  return {
    id: newId(),
    model: 'echo',
    prompt: 'hello',
    options: {},
    conversationId: newId(),
    conversationName: 'hello',
    attachments: [],
    ...overrides,
  };
}

const answer = (costUsd: number | null, model = 'echo'): PromptResult => ({
  response: 'the answer',
  responseJson: null,
  promptJson: null,
  inputTokens: 10,
  outputTokens: 20,
  tokenDetails: null,
  durationMs: 5,
  datetimeUtc: new Date(),
  resolvedModel: null,
  spend: { model, costUsd, inputTokens: 10, outputTokens: 20 },
});

async function runningPrompt(db: Database, owner: string | null, apiKeyId: string | null) {
  const { prompt } = await createQueuedPrompt(db, input({ owner, apiKeyId }));
  await markPromptsRunning(db, [{ id: prompt.id, attempt: 1 }]);
  return prompt.id;
}

const today = () => new Date().toISOString().slice(0, 10);

describe.each(drivers)('usage ledger and totals on %s', (driver) => {
  const database = useDatabase(driver);

  it('counts each answer once, with the end write that stored it, and only writes that landed', async () => {
    const { db } = database();
    const owner = `owner-${newId()}`;
    const first = await runningPrompt(db, owner, 'key-a');
    const second = await runningPrompt(db, owner, 'key-a');
    const stale = await runningPrompt(db, owner, 'key-a');
    await markPromptsRunning(db, [{ id: stale, attempt: 2 }]);
    const written = await completePrompts(db, [
      { ...answer(0.25), id: first, attempt: 1 },
      { ...answer(0.5), id: second, attempt: 1 },
      // A fenced-out attempt: neither its answer nor its usage is written.
      { ...answer(100), id: stale, attempt: 1 },
    ]);
    expect([...written.keys()].sort()).toEqual([first, second].sort());
    // Written again (a retried completion): nothing more is counted.
    expect(await completePrompts(db, [{ ...answer(0.25), id: first, attempt: 1 }])).toEqual(
      new Map(),
    );
    expect((await getPrompt(db, first))?.costUsd).toBe(0.25);
    expect((await getPrompt(db, stale))?.costUsd).toBeNull();
    const single = await runningPrompt(db, owner, 'key-b');
    expect((await completePrompt(db, single, 1, answer(1, 'gpt-x'))).written).toBe(true);
    expect((await completePrompt(db, single, 1, answer(1, 'gpt-x'))).written).toBe(false);
    const totals = await usageTotals(db, {
      from: today(),
      to: today(),
      groupBy: ['key', 'model'],
      owner,
    });
    expect(totals.total).toEqual({
      requests: 3,
      inputTokens: 30,
      outputTokens: 60,
      costUsd: 1.75,
    });
    expect(totals.groups).toEqual([
      {
        apiKeyId: 'key-a',
        model: 'echo',
        requests: 2,
        inputTokens: 20,
        outputTokens: 40,
        costUsd: 0.75,
      },
      {
        apiKeyId: 'key-b',
        model: 'gpt-x',
        requests: 1,
        inputTokens: 10,
        outputTokens: 20,
        costUsd: 1,
      },
    ]);
  });

  it("counts an unpriced answer's tokens at no cost, and a prompt without owner or key as null", async () => {
    const { db } = database();
    const id = await runningPrompt(db, null, null);
    await completePrompts(db, [{ ...answer(null, 'unpriced-model'), id, attempt: 1 }]);
    expect((await getPrompt(db, id))?.costUsd).toBeNull();
    const totals = await usageTotals(db, {
      from: today(),
      to: today(),
      groupBy: ['owner', 'key', 'day'],
      model: 'unpriced-model',
    });
    expect(totals.groups).toEqual([
      {
        owner: null,
        apiKeyId: null,
        day: today(),
        requests: 1,
        inputTokens: 10,
        outputTokens: 20,
        costUsd: 0,
      },
    ]);
  });

  it("counts each chain step's model call once, under the chain's owner and key", async () => {
    const { db } = database();
    const owner = `owner-${newId()}`;
    const { prompt } = await createQueuedPrompt(
      db,
      input({ owner, apiKeyId: 'key-c', tools: [], chainLimit: 5 }),
    );
    await markPromptsRunning(db, [{ id: prompt.id, attempt: 1 }]);
    const chain = { chainId: prompt.id, attempt: 1 };
    const step = { ...answer(0.5), toolCalls: null };
    expect(await storeStepAnswer(db, chain, prompt.id, step)).toBe(true);
    const next = newId();
    expect(await createChainStep(db, chain, { id: next, step: 2 })).toBe(true);
    expect(await storeStepAnswer(db, chain, next, step)).toBe(true);
    // A step that has ended takes no answer, and counts nothing more.
    expect(await storeStepAnswer(db, chain, next, step)).toBe(false);
    // An attempt that no longer owns the chain writes nothing.
    expect(await storeStepAnswer(db, { chainId: prompt.id, attempt: 2 }, prompt.id, step)).toBe(
      false,
    );
    expect((await getPrompt(db, next))?.apiKeyId).toBe('key-c');
    const totals = await usageTotals(db, { from: today(), to: today(), groupBy: ['key'], owner });
    expect(totals.groups).toEqual([
      { apiKeyId: 'key-c', requests: 2, inputTokens: 20, outputTokens: 40, costUsd: 1 },
    ]);
  });

  it("counts a refused answer's spend with the retry or failure that records it, once", async () => {
    const { db } = database();
    const owner = `owner-${newId()}`;
    const id = await runningPrompt(db, owner, 'key-d');
    const refused = {
      errorKind: 'SchemaMismatchError',
      error: 'the answer does not match the schema',
      spend: { model: 'echo', costUsd: 0.5, inputTokens: 10, outputTokens: 20 },
    };
    expect((await requeuePrompt(db, id, 1, refused)).written).toBe(true);
    // Written again by the same attempt (it no longer owns the row): nothing more is counted.
    expect((await requeuePrompt(db, id, 1, refused)).written).toBe(false);
    await markPromptsRunning(db, [{ id, attempt: 2 }]);
    // A retry that failed otherwise (no answer) costs nothing.
    const plain = await runningPrompt(db, owner, 'key-d');
    await requeuePrompt(db, plain, 1, { errorKind: 'ModelError', error: '503' });
    expect((await getPrompt(db, plain))?.costUsd).toBeNull();
    expect(
      (await failPrompt(db, id, 2, { ...refused, spend: { ...refused.spend, costUsd: 0.25 } })).row,
    ).toMatchObject({ status: 'failed', costUsd: 0.75 });
    const totals = await usageTotals(db, { from: today(), to: today(), groupBy: [], owner });
    expect(totals.total).toEqual({ requests: 2, inputTokens: 20, outputTokens: 40, costUsd: 0.75 });
  });

  it('adds each answer to what the prompt cost: a refused one, then the stored one', async () => {
    const { db } = database();
    const id = await runningPrompt(db, null, null);
    await requeuePrompt(db, id, 1, {
      errorKind: 'SchemaMismatchError',
      error: 'no match',
      spend: { model: 'echo', costUsd: 0.5, inputTokens: 1, outputTokens: 1 },
    });
    await markPromptsRunning(db, [{ id, attempt: 2 }]);
    await completePrompts(db, [{ ...answer(0.25), id, attempt: 2 }]);
    expect((await getPrompt(db, id))?.costUsd).toBe(0.75);
  });

  it('reads only the days asked for, and gives zeros when nothing was spent', async () => {
    const { db } = database();
    const totals = await usageTotals(db, {
      from: '2001-01-01',
      to: '2001-01-31',
      groupBy: ['day'],
    });
    expect(totals).toEqual({
      total: { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 },
      groups: [],
    });
  });
});
