import { newId } from '@llmq/core';
import { createTestDatabase, type TestDatabase } from '@llmq/testing';
import { eq, sql } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { cancelPrompt } from './cancel-prompt.ts';
import { createQueuedPrompt, type QueuedPromptInput } from './create-queued-prompt.ts';
import { drivers, useDatabase } from './database.fixture.ts';
import { createDatabase, type Database, type DatabaseHandle } from './database.ts';
import { executeRows } from './execute-rows.ts';
import { getPrompt } from './get-prompt.ts';
import { insertQueuedPrompts } from './insert-queued-prompts.ts';
import { completePrompts, markPromptsRunning } from './prompt-attempt-batches.ts';
import { completePrompt, failPrompt, type PromptResult, requeuePrompt } from './prompt-attempts.ts';
import { attachments, conversations, promptAttachments, responses } from './schema.ts';

const attachment = (id: string) => ({ id, type: 'image/png', size: 10, storageKey: `blobs/${id}` });

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

/** Claim one prompt for an attempt: its row when this attempt now owns it. */
async function claim(db: Database, id: string, attempt: number) {
  return (await markPromptsRunning(db, [{ id, attempt }])).get(id);
}

const result: PromptResult = {
  response: 'the answer',
  responseJson: { raw: true },
  promptJson: { messages: [] },
  inputTokens: 1,
  outputTokens: 2,
  tokenDetails: null,
  durationMs: 12,
  datetimeUtc: new Date('2026-01-01T00:00:00Z'),
  resolvedModel: null,
};

describe.each(drivers)('prompt queries on %s', (driver) => {
  const database = useDatabase(driver);

  describe('createQueuedPrompt', () => {
    it('writes the prompt, its new conversation and its attachments in order', async () => {
      const { db } = database();
      const first = input({
        attachments: [attachment('b'.repeat(64)), attachment('a'.repeat(64))],
      });
      const { prompt, created } = await createQueuedPrompt(db, first);
      expect(created).toBe(true);
      expect(prompt).toMatchObject({ id: first.id, status: 'queued', attempts: 0, model: 'echo' });
      const stored = await getPrompt(db, first.id);
      expect(stored?.attachments.map((row) => row.id)).toEqual(['b'.repeat(64), 'a'.repeat(64)]);
      const [conversation] = await db
        .select()
        .from(conversations)
        .where(eq(conversations.id, first.conversationId));
      expect(conversation).toMatchObject({ name: 'hello', model: 'echo' });
    });

    it("is read back by its owner, by every owner's reader, and by no other owner", async () => {
      const { db } = database();
      const alices = input({ owner: 'alice', attachments: [attachment('e'.repeat(64))] });
      const keyless = input({ owner: null });
      await createQueuedPrompt(db, alices);
      await createQueuedPrompt(db, keyless);
      const found = async (id: string, owner?: string | null) =>
        (await getPrompt(db, id, owner))?.id;
      expect(await found(alices.id, 'alice')).toBe(alices.id);
      expect((await getPrompt(db, alices.id, 'alice'))?.attachments).toHaveLength(1);
      expect(await found(alices.id, 'bob')).toBeUndefined();
      expect(await found(alices.id, null)).toBeUndefined();
      expect(await found(alices.id)).toBe(alices.id);
      expect(await found(keyless.id, null)).toBe(keyless.id);
      expect(await found(keyless.id, 'alice')).toBeUndefined();
      expect(await found(keyless.id)).toBe(keyless.id);
      expect(await found(newId(), 'alice')).toBeUndefined();
    });

    it('links the same attachment twice and stores its row once', async () => {
      const { db } = database();
      const id = 'c'.repeat(64);
      const one = input({ attachments: [attachment(id), attachment(id)] });
      await createQueuedPrompt(db, one);
      await createQueuedPrompt(db, input({ attachments: [attachment(id)] }));
      const rows = await db.select().from(attachments).where(eq(attachments.id, id));
      expect(rows).toHaveLength(1);
      expect((await getPrompt(db, one.id))?.attachments).toHaveLength(2);
    });

    it('adds a turn to an existing conversation', async () => {
      const { db } = database();
      const first = input();
      await createQueuedPrompt(db, first);
      await createQueuedPrompt(
        db,
        input({ conversationId: first.conversationId, conversationName: 'x' }),
      );
      const turns = await db
        .select()
        .from(responses)
        .where(eq(responses.conversationId, first.conversationId));
      expect(turns).toHaveLength(2);
    });

    it('returns the first prompt for a repeated idempotency key, even when raced', async () => {
      const { db } = database();
      const key = `key-${newId()}`;
      const attempts = await Promise.all(
        Array.from({ length: 5 }, () => createQueuedPrompt(db, input({ idempotencyKey: key }))),
      );
      const created = attempts.filter((attempt) => attempt.created);
      expect(created).toHaveLength(1);
      expect(new Set(attempts.map((attempt) => attempt.prompt.id))).toEqual(
        new Set([created[0]?.prompt.id]),
      );
      const rows = await db.select().from(responses).where(eq(responses.idempotencyKey, key));
      expect(rows).toHaveLength(1);
    });

    it('keeps idempotency keys apart per owner', async () => {
      const { db } = database();
      const key = `key-${newId()}`;
      const a = await createQueuedPrompt(db, input({ idempotencyKey: key, owner: 'alice' }));
      const b = await createQueuedPrompt(db, input({ idempotencyKey: key, owner: 'bob' }));
      expect(a.created && b.created).toBe(true);
    });

    it('writes a prompt alone and its new conversation together, or neither', async () => {
      const { db } = database();
      const first = input({ conversationName: 'named' });
      const { prompt } = await createQueuedPrompt(db, first);
      expect(prompt).toMatchObject({ id: first.id, status: 'queued' });
      expect(prompt).not.toHaveProperty('search');
      expect(
        await db.select().from(conversations).where(eq(conversations.id, first.conversationId)),
      ).toMatchObject([{ name: 'named', model: first.model }]);
      // A prompt without attachments, turns, schema or results is one statement: when its row
      // cannot be written, the conversation it would have begun is not written either.
      const clash = input({ id: first.id });
      await expect(createQueuedPrompt(db, clash)).rejects.toThrow();
      expect(
        await db.select().from(conversations).where(eq(conversations.id, clash.conversationId)),
      ).toHaveLength(0);
    });

    it("stores a prompt alone's fields as given, and absent JSON as SQL null", async () => {
      const { db } = database();
      const plain = input({ system: 'be brief', options: { temperature: 0.5 } });
      const full = input({
        owner: 'alice',
        apiKeyId: `key-${newId()}`,
        idempotencyKey: `key-${newId()}`,
        webhookUrl: 'https://example.test/hook',
        tools: [
          {
            name: 'lookup',
            description: 'looks up',
            input_schema: { type: 'object' },
            runs_on_server: false,
          },
        ],
        metadata: { team: 'search' },
        chainLimit: 3,
      });
      // Empty JSON is a value, not an absence.
      const empty = input({ conversationName: null, tools: [], metadata: {} });
      for (const each of [plain, full, empty]) {
        const { prompt } = await createQueuedPrompt(db, each);
        expect(prompt).toMatchObject({
          id: each.id,
          conversationId: each.conversationId,
          status: 'queued',
          system: each.system ?? null,
          owner: each.owner ?? null,
          apiKeyId: each.apiKeyId ?? null,
          idempotencyKey: each.idempotencyKey ?? null,
          webhookUrl: each.webhookUrl ?? null,
          chainId: each.chainLimit === undefined ? null : each.id,
          chainStep: each.chainLimit === undefined ? null : 1,
          chainLimit: each.chainLimit ?? null,
        });
        expect([prompt.options, prompt.tools, prompt.metadata]).toEqual([
          each.options,
          each.tools ?? null,
          each.metadata ?? null,
        ]);
      }
      const rows = await executeRows<{ id: string; no_tools: boolean; no_metadata: boolean }>(
        db,
        sql`select id, tools is null as no_tools, metadata is null as no_metadata
            from responses where id in (${plain.id}, ${full.id}, ${empty.id})`,
      );
      expect(
        Object.fromEntries(rows.map((row) => [row.id, [row.no_tools, row.no_metadata]])),
      ).toEqual({
        [plain.id]: [true, true],
        [full.id]: [false, false],
        [empty.id]: [false, false],
      });
      expect(
        await db.select().from(conversations).where(eq(conversations.id, full.conversationId)),
      ).toMatchObject([{ name: 'hello', model: 'echo', owner: 'alice' }]);
      expect(
        await db.select().from(conversations).where(eq(conversations.id, empty.conversationId)),
      ).toMatchObject([{ name: null }]);
      // A conversation that exists keeps its name and owner.
      const later = input({ conversationId: full.conversationId, conversationName: 'other' });
      await createQueuedPrompt(db, later);
      expect(
        await db.select().from(conversations).where(eq(conversations.id, full.conversationId)),
      ).toMatchObject([{ name: 'hello', owner: 'alice' }]);
    });

    it('writes nothing at all when any part fails', async () => {
      const { db } = database();
      const first = input();
      await createQueuedPrompt(db, first);
      const clash = input({ id: first.id, attachments: [attachment('d'.repeat(64))] });
      await expect(createQueuedPrompt(db, clash)).rejects.toThrow();
      expect(
        await db.select().from(conversations).where(eq(conversations.id, clash.conversationId)),
      ).toHaveLength(0);
      expect(
        await db
          .select()
          .from(attachments)
          .where(eq(attachments.id, 'd'.repeat(64))),
      ).toHaveLength(0);
      expect(
        await db.select().from(promptAttachments).where(eq(promptAttachments.responseId, first.id)),
      ).toHaveLength(0);
    });
  });

  describe('attempts', () => {
    it('marks running with the attempt number and completes once', async () => {
      const { db } = database();
      const { prompt } = await createQueuedPrompt(db, input());
      const running = await claim(db, prompt.id, 1);
      expect(running).toMatchObject({ status: 'running', attempts: 1 });
      expect(running?.startedAt).toBeInstanceOf(Date);
      const write = await completePrompt(db, prompt.id, 1, result);
      expect(write.written).toBe(true);
      expect(write.row).toMatchObject({
        status: 'succeeded',
        response: 'the answer',
        inputTokens: 1,
        outputTokens: 2,
        durationMs: 12,
        responseJson: { raw: true },
      });
      expect(await completePrompt(db, prompt.id, 1, { ...result, response: 'again' })).toEqual({
        written: false,
        row: undefined,
      });
      expect((await getPrompt(db, prompt.id))?.response).toBe('the answer');
    });

    it("ignores a stale attempt's writes once a later attempt owns the row", async () => {
      const { db } = database();
      const { prompt } = await createQueuedPrompt(db, input());
      await claim(db, prompt.id, 1);
      expect(await claim(db, prompt.id, 2)).toMatchObject({ attempts: 2 });
      expect(await claim(db, prompt.id, 1)).toBeUndefined();
      expect(
        (await completePrompt(db, prompt.id, 1, { ...result, response: 'stale' })).written,
      ).toBe(false);
      expect(
        (await failPrompt(db, prompt.id, 1, { errorKind: 'ModelError', error: 'stale' })).written,
      ).toBe(false);
      expect((await getPrompt(db, prompt.id))?.status).toBe('running');
      expect((await completePrompt(db, prompt.id, 2, result)).written).toBe(true);
      expect((await getPrompt(db, prompt.id))?.response).toBe('the answer');
    });

    it('records a failure with its kind and message', async () => {
      const { db } = database();
      const { prompt } = await createQueuedPrompt(db, input());
      await claim(db, prompt.id, 1);
      const write = await failPrompt(db, prompt.id, 1, { errorKind: 'ModelError', error: 'boom' });
      expect(write.row).toMatchObject({ status: 'failed', errorKind: 'ModelError', error: 'boom' });
      expect(write.row?.completedAt).toBeInstanceOf(Date);
    });

    it('requeues after a retryable failure, keeping the error, and runs the next attempt', async () => {
      const { db } = database();
      const { prompt } = await createQueuedPrompt(db, input());
      await claim(db, prompt.id, 1);
      const requeued = await requeuePrompt(db, prompt.id, 1, {
        errorKind: 'ModelError',
        error: '503',
      });
      expect(requeued.row).toMatchObject({ status: 'queued', attempts: 1, error: '503' });
      expect(
        (await requeuePrompt(db, prompt.id, 1, { errorKind: 'x', error: 'again' })).written,
      ).toBe(false);
      expect(await claim(db, prompt.id, 2)).toMatchObject({
        status: 'running',
        attempts: 2,
      });
      const done = await completePrompt(db, prompt.id, 2, result);
      expect(done.row).toMatchObject({ status: 'succeeded', error: null, errorKind: null });
    });

    it('does not run a cancelled prompt', async () => {
      const { db } = database();
      const { prompt } = await createQueuedPrompt(db, input());
      expect(await cancelPrompt(db, prompt.id)).toMatchObject({ status: 'cancelled' });
      expect(await claim(db, prompt.id, 1)).toBeUndefined();
    });
  });

  describe('insertQueuedPrompts', () => {
    it('inserts thousands of prompts with shared attachments in a few statements, atomically', async () => {
      const { db } = database();
      const shared = attachment('f'.repeat(64));
      const items = Array.from({ length: 2_500 }, (_, index) => ({
        id: newId(),
        model: 'echo',
        prompt: `item ${index}`,
        options: {},
        attachments:
          index % 2 === 0 ? [shared, attachment(index.toString(16).padStart(64, '0'))] : [],
      }));
      await db.transaction((tx) => insertQueuedPrompts(tx, items));
      const stored = await getPrompt(db, items[2_498]?.id ?? '');
      expect(stored?.attachments.map((row) => row.id)).toEqual([
        shared.id,
        (2_498).toString(16).padStart(64, '0'),
      ]);
      const clash = [{ ...items[0], id: newId() }, items[1]].map((item) => ({
        ...item,
        attachments: [],
      })) as typeof items;
      await expect(db.transaction((tx) => insertQueuedPrompts(tx, clash))).rejects.toThrow();
      expect(await getPrompt(db, clash[0]?.id ?? '')).toBeUndefined();
    });
  });

  describe('batched attempts', () => {
    it('claims many prompts at once, only those this attempt may own', async () => {
      const { db } = database();
      const fresh = (
        await createQueuedPrompt(
          db,
          input({
            prompt: 'fresh',
            attachments: [attachment(`second-${newId()}`), attachment(`first-${newId()}`)],
          }),
        )
      ).prompt;
      const ahead = (await createQueuedPrompt(db, input())).prompt;
      await claim(db, ahead.id, 3);
      const ended = (await createQueuedPrompt(db, input())).prompt;
      await cancelPrompt(db, ended.id);
      const owned = await markPromptsRunning(db, [
        { id: fresh.id, attempt: 1 },
        { id: ahead.id, attempt: 2 },
        { id: ended.id, attempt: 1 },
        { id: newId(), attempt: 1 },
      ]);
      expect([...owned.keys()]).toEqual([fresh.id]);
      expect(owned.get(fresh.id)).toMatchObject({
        status: 'running',
        attempts: 1,
        prompt: 'fresh',
      });
      // The attachments come with the claim, in order, as getPrompt reads them.
      const stored = await getPrompt(db, fresh.id);
      expect(stored?.attachments.map((row) => row.id)).toHaveLength(2);
      expect(owned.get(fresh.id)?.attachments).toEqual(stored?.attachments);
      expect(await markPromptsRunning(db, [])).toEqual(new Map());
    });

    it('claims and completes ids holding quotes, backslashes, commas and braces', async () => {
      const { db } = database();
      const odd = [`a"b`, 'c\\d', 'e,f', '{g}', 'h i', 'NULL'];
      for (const id of odd) await createQueuedPrompt(db, input({ id }));
      const owned = await markPromptsRunning(
        db,
        odd.map((id) => ({ id, attempt: 1 })),
      );
      expect([...owned.keys()].sort()).toEqual([...odd].sort());
      const written = await completePrompts(
        db,
        odd.map((id) => ({ ...result, id, attempt: 1 })),
      );
      expect([...written.keys()].sort()).toEqual([...odd].sort());
    });

    it('completes many prompts at once, writing only where the attempt owns the row', async () => {
      const { db } = database();
      const mine = (await createQueuedPrompt(db, input())).prompt;
      const stale = (await createQueuedPrompt(db, input())).prompt;
      await markPromptsRunning(db, [
        { id: mine.id, attempt: 1 },
        { id: stale.id, attempt: 1 },
      ]);
      await claim(db, stale.id, 2);
      const written = await completePrompts(db, [
        {
          ...result,
          id: mine.id,
          attempt: 1,
          response: 'it\'s "quoted" — ünïcode',
          tokenDetails: { cached: 3 },
        },
        { ...result, id: stale.id, attempt: 1 },
      ]);
      expect(written).toEqual(new Map([[mine.id, 1]]));
      expect(await getPrompt(db, mine.id)).toMatchObject({
        status: 'succeeded',
        response: 'it\'s "quoted" — ünïcode',
        responseJson: { raw: true },
        promptJson: { messages: [] },
        inputTokens: 1,
        outputTokens: 2,
        tokenDetails: { cached: 3 },
        durationMs: 12,
        datetimeUtc: new Date('2026-01-01T00:00:00Z'),
      });
      expect((await getPrompt(db, stale.id))?.status).toBe('running');
    });
  });

  describe('cancelPrompt', () => {
    it('cancels queued and running prompts, and leaves ended ones alone', async () => {
      const { db } = database();
      const running = (await createQueuedPrompt(db, input())).prompt;
      await claim(db, running.id, 1);
      expect(await cancelPrompt(db, running.id)).toMatchObject({ status: 'cancelled' });
      expect((await completePrompt(db, running.id, 1, result)).written).toBe(false);
      const done = (await createQueuedPrompt(db, input())).prompt;
      await claim(db, done.id, 1);
      await completePrompt(db, done.id, 1, result);
      expect(await cancelPrompt(db, done.id)).toBeUndefined();
      expect((await getPrompt(db, done.id))?.status).toBe('succeeded');
      expect(await cancelPrompt(db, newId())).toBeUndefined();
    });
  });

  describe('getPrompt', () => {
    it("answers undefined for another owner's prompt, as for a missing one", async () => {
      const { db } = database();
      const { prompt } = await createQueuedPrompt(db, input({ owner: 'alice' }));
      expect(await getPrompt(db, prompt.id, 'alice')).toBeDefined();
      expect(await getPrompt(db, prompt.id, 'bob')).toBeUndefined();
      expect(await getPrompt(db, prompt.id, null)).toBeUndefined();
      expect(await getPrompt(db, prompt.id)).toBeDefined();
      expect(await getPrompt(db, newId())).toBeUndefined();
    });
  });
});

describe('batched attempts on a large table', () => {
  let testDatabase: TestDatabase | undefined;
  let handle: DatabaseHandle | undefined;
  afterAll(async () => {
    await handle?.close();
    await testDatabase?.drop();
  });

  it('find their rows through the primary key, never by scanning the table or the status indexes', async () => {
    testDatabase = await createTestDatabase();
    const migrator = await createDatabase(testDatabase.url);
    await migrator.migrate();
    await migrator.close();
    // One connection: the statistics read at the end are this session's own, flushed on demand.
    handle = await createDatabase(testDatabase.url, { maxConnections: 1 });
    const { db } = handle;
    const items = Array.from({ length: 5_000 }, (_, index) => ({
      id: newId(),
      model: 'echo',
      prompt: `item ${index}`,
      options: {},
      attachments: [],
    }));
    // Statistics taken when every row had ended, as autovacuum leaves them while a big batch
    // is queued: the status index then looks like a cheap way to find queued rows, and a claim
    // once read every queued row's entry through it to combine with the ids.
    await db.execute(sql`alter table responses set (autovacuum_enabled = false)`);
    const earlier = items.slice(0, 2_000).map((item) => ({ ...item, id: newId() }));
    await db.transaction((tx) => insertQueuedPrompts(tx, earlier));
    await db.execute(sql`update responses set status = 'succeeded', attempts = 1`);
    await db.execute(sql`analyze responses`);
    await db.transaction((tx) => insertQueuedPrompts(tx, items));
    // Sequential scans of the table, and scans of the indexes that hold every queued or
    // running row (a generic plan once combined one with the primary key: a bitmap of every
    // queued row for each claim).
    const scans = async () => {
      await db.execute(sql`select pg_stat_force_next_flush()`);
      const [row] = await executeRows<{ table: string; statusIndexes: string }>(
        db,
        sql`select
          (select seq_scan from pg_stat_user_tables where relname = 'responses')::text as "table",
          (select sum(idx_scan) from pg_stat_user_indexes
            where indexrelname in ('responses_status_idx', 'responses_batch_status_idx'))::text
            as "statusIndexes"`,
      );
      return { table: Number(row?.table), statusIndexes: Number(row?.statusIndexes) };
    };
    const before = await scans();
    for (let start = 0; start < 40; start += 4) {
      const slice = items.slice(start, start + 4);
      const owned = await markPromptsRunning(
        db,
        slice.map((item) => ({ id: item.id, attempt: 1 })),
      );
      expect(owned.size).toBe(4);
      const written = await completePrompts(
        db,
        slice.map((item) => ({ ...result, id: item.id, attempt: 1 })),
      );
      expect(written.size).toBe(4);
    }
    // Ten claims and completions each: past the five runs after which PostgreSQL may switch a
    // prepared statement to its generic plan.
    expect(await scans()).toEqual(before);
  });
});
