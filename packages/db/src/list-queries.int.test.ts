import { newId } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { batchCounts } from './batch-counts.ts';
import { createQueuedPrompt, type QueuedPromptInput } from './create-queued-prompt.ts';
import { drivers, useDatabase } from './database.fixture.ts';
import type { Database } from './database.ts';
import { getConversation, getConversationHistory, latestConversation } from './get-conversation.ts';
import { listPrompts } from './list-prompts.ts';
import { markPromptsRunning } from './prompt-attempt-batches.ts';
import { completePrompt, failPrompt } from './prompt-attempts.ts';
import { batches, responses } from './schema.ts';

function input(overrides: Partial<QueuedPromptInput> = {}): QueuedPromptInput {
  return {
    id: newId(),
    model: 'echo',
    prompt: 'hello',
    options: {},
    conversationId: newId(),
    attachments: [],
    ...overrides,
  };
}

async function succeed(db: Database, id: string, response: string) {
  await markPromptsRunning(db, [{ id, attempt: 1 }]);
  await completePrompt(db, id, 1, {
    response,
    responseJson: null,
    promptJson: null,
    inputTokens: null,
    outputTokens: null,
    tokenDetails: null,
    durationMs: 1,
    datetimeUtc: new Date(),
    resolvedModel: null,
  });
}

describe.each(drivers)('listing queries on %s', (driver) => {
  const database = useDatabase(driver);

  describe('listPrompts', () => {
    it('finds prompts by words in the prompt or in the response', async () => {
      const { db } = database();
      const owner = `search-${newId()}`;
      const pelican = await createQueuedPrompt(db, input({ owner, prompt: 'Name three pelicans' }));
      const other = await createQueuedPrompt(db, input({ owner, prompt: 'Tell me a joke' }));
      await succeed(db, other.prompt.id, 'Why did the walrus cross the road?');
      const byPrompt = await listPrompts(db, { owner, q: 'pelican' });
      expect(byPrompt.items.map((row) => row.id)).toEqual([pelican.prompt.id]);
      const byResponse = await listPrompts(db, { owner, q: 'walruses' });
      expect(byResponse.items.map((row) => row.id)).toEqual([other.prompt.id]);
      expect((await listPrompts(db, { owner, q: 'giraffe' })).items).toEqual([]);
      // Web search syntax, including characters that would break a raw tsquery.
      expect((await listPrompts(db, { owner, q: 'joke -pelican' })).items).toHaveLength(1);
      expect((await listPrompts(db, { owner, q: "(('&|!" })).items).toEqual([]);
    });

    it('filters by model, status, conversation, batch and time', async () => {
      const { db } = database();
      const owner = `filters-${newId()}`;
      const conversationId = newId();
      const a = await createQueuedPrompt(db, input({ owner, model: 'echo', conversationId }));
      const b = await createQueuedPrompt(db, input({ owner, model: 'gpt-4o-mini' }));
      await succeed(db, b.prompt.id, 'done');
      const ids = async (filter: Parameters<typeof listPrompts>[1]) =>
        (await listPrompts(db, { owner, ...filter })).items.map((row) => row.id);
      expect(await ids({ model: 'gpt-4o-mini' })).toEqual([b.prompt.id]);
      expect(await ids({ status: 'queued' })).toEqual([a.prompt.id]);
      expect(await ids({ conversationId })).toEqual([a.prompt.id]);
      expect(await ids({ createdAfter: new Date(Date.now() + 60_000) })).toEqual([]);
      expect(await ids({ createdBefore: new Date(Date.now() + 60_000) })).toEqual([
        b.prompt.id,
        a.prompt.id,
      ]);
      const batchId = newId();
      await db.insert(batches).values({ id: batchId, model: 'echo', status: 'queued', total: 1 });
      const item = newId();
      await db.insert(responses).values({ id: item, model: 'echo', batchId, batchIndex: 0, owner });
      expect(await ids({ batchId })).toEqual([item]);
    });

    it('pages newest first with a cursor, stable while new prompts arrive', async () => {
      const { db } = database();
      const owner = `pages-${newId()}`;
      const made: string[] = [];
      for (let index = 0; index < 7; index++) {
        made.push((await createQueuedPrompt(db, input({ owner }))).prompt.id);
      }
      const first = await listPrompts(db, { owner, limit: 3 });
      expect(first.items.map((row) => row.id)).toEqual(made.slice(-3).reverse());
      // New prompts arriving between pages must not shift or repeat what is left to read.
      await Promise.all(Array.from({ length: 5 }, () => createQueuedPrompt(db, input({ owner }))));
      const seen = first.items.map((row) => row.id);
      let cursor = first.nextCursor;
      while (cursor) {
        const page = await listPrompts(db, { owner, limit: 3, cursor });
        seen.push(...page.items.map((row) => row.id));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([...made].reverse());
    });
  });

  describe('conversations', () => {
    it('gives the turns in order, each with its attachments', async () => {
      const { db } = database();
      const conversationId = newId();
      const image = { id: 'e'.repeat(64), type: 'image/png', size: 3, storageKey: 'k' };
      const first = await createQueuedPrompt(
        db,
        input({ conversationId, conversationName: 'pets', prompt: 'one', attachments: [image] }),
      );
      await succeed(db, first.prompt.id, 'answer one');
      const second = await createQueuedPrompt(db, input({ conversationId, prompt: 'two' }));
      await markPromptsRunning(db, [{ id: second.prompt.id, attempt: 1 }]);
      await failPrompt(db, second.prompt.id, 1, { errorKind: 'ModelError', error: 'x' });
      const third = await createQueuedPrompt(db, input({ conversationId, prompt: 'three' }));
      const conversation = await getConversation(db, conversationId);
      expect(conversation?.name).toBe('pets');
      expect(conversation?.turns.map((turn) => turn.prompt)).toEqual(['one', 'two', 'three']);
      expect(conversation?.turns[0]?.attachments.map((row) => row.id)).toEqual([image.id]);
      const history = await getConversationHistory(db, conversationId, { id: third.prompt.id });
      expect(history.map((turn) => turn.response)).toEqual(['answer one']);
      expect(history[0]?.attachments).toHaveLength(1);
      expect(await getConversation(db, conversationId, 'someone-else')).toBeUndefined();
    });

    it('finds the latest conversation of an owner', async () => {
      const { db } = database();
      const owner = `latest-${newId()}`;
      await createQueuedPrompt(db, input({ owner }));
      const newer = await createQueuedPrompt(db, input({ owner }));
      expect((await latestConversation(db, owner))?.id).toBe(newer.prompt.conversationId);
    });
  });

  describe('batchCounts', () => {
    it('counts items by status and stays equal to the total while items finish concurrently', async () => {
      const { db } = database();
      const batchId = newId();
      const total = 60;
      await db.insert(batches).values({ id: batchId, model: 'echo', status: 'running', total });
      const ids = Array.from({ length: total }, () => newId());
      await db
        .insert(responses)
        .values(ids.map((id, batchIndex) => ({ id, model: 'echo', batchId, batchIndex })));
      const finishing = ids.slice(0, 40).map(async (id, index) => {
        await markPromptsRunning(db, [{ id, attempt: 1 }]);
        if (index % 4 === 0) {
          await failPrompt(db, id, 1, { errorKind: 'ModelError', error: 'x' });
        } else {
          await succeed(db, id, 'ok');
        }
      });
      const samples: number[] = [];
      const sampling = (async () => {
        for (let round = 0; round < 10; round++) {
          const counts = await batchCounts(db, batchId);
          samples.push(
            counts.queued + counts.running + counts.succeeded + counts.failed + counts.cancelled,
          );
        }
      })();
      await Promise.all([...finishing, sampling]);
      expect(samples.every((sum) => sum === total)).toBe(true);
      expect(await batchCounts(db, batchId)).toEqual({
        total,
        queued: 20,
        running: 0,
        succeeded: 30,
        failed: 10,
        cancelled: 0,
      });
    });
  });
});
