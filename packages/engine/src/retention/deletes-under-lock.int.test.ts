import { Readable } from 'node:stream';
import { newId } from '@llmq/core';
import { deleteEndedBatch, deleteEndedConversation, requeueFailedBatchItems } from '@llmq/db';
import { waitFor } from '@llmq/testing';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { recordFile } from '../submit/record-file.ts';
import { storeUploadBytes } from '../submit/store-upload.ts';
import { collectBlobs } from './blob-collector.ts';
import { deleteBatch } from './delete-batch.ts';
import { deleteFacadeFile } from './delete-facade-file.ts';
import { deleteStoredPrompt } from './delete-stored-prompt.ts';
import { type RetentionHarness, useRetentionHarness } from './retention.fixture.ts';

const hour = 3_600_000;
const day = 24 * hour;
const limits = {
  maxAttachmentBytes: 1_000_000,
  maxInlineAttachmentBytes: 1_000_000,
  urlFetchTimeoutMs: 1_000,
  maxBatchItems: 10,
  maxAttachmentsPerPrompt: 10,
  maxPromptChars: 1_000,
};

/** A promise and the function that settles it, to hold a transaction open. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

/** Until some statement of this test's database waits for a row lock. */
async function someoneWaitsForALock(h: RetentionHarness): Promise<void> {
  await waitFor(
    async () =>
      (
        await h.exec(sql`select 1 from pg_stat_activity
          where datname = current_database() and wait_event_type = 'Lock'`)
      ).length > 0,
    'a statement to wait for a row lock',
  );
}

describe('deletes that race other writes', () => {
  const harness = useRetentionHarness('filesystem');

  it('a retry waits for a delete holding the batch, then finds the batch gone', async () => {
    const h = harness();
    const batch = await h.batch({ status: 'completed', endedAgoMs: 0 });
    await h.exec(sql`update responses set status = 'failed' where batch_id = ${batch.id}`);
    const locked = gate();
    const release = gate();
    // What deleteEndedBatch does: the batch row first, then its items, in one transaction.
    const deleting = h.services.db.transaction(async (tx) => {
      await tx.execute(sql`select id from batches where id = ${batch.id} for update`);
      locked.open();
      await release.opened;
      await tx.execute(sql`delete from responses where batch_id = ${batch.id}`);
      await tx.execute(sql`delete from provider_batches where batch_id = ${batch.id}`);
      await tx.execute(sql`delete from batches where id = ${batch.id}`);
    });
    await locked.opened;
    const retry = requeueFailedBatchItems(h.services.db, batch.id);
    await someoneWaitsForALock(h);
    release.open();
    await deleting;
    expect(await retry).toEqual({ outcome: 'not-found' });
  });

  it('a retry requeues the items and sets the batch queued together, its end cleared', async () => {
    const h = harness();
    const batch = await h.batch({ status: 'completed', endedAgoMs: hour });
    await h.exec(sql`update responses set status = 'failed' where id = ${batch.itemIds[0]}`);
    expect(await requeueFailedBatchItems(h.services.db, batch.id)).toEqual({
      outcome: 'requeued',
      itemIds: [batch.itemIds[0]],
    });
    expect(
      await h.exec(sql`select status, completed_at from batches where id = ${batch.id}`),
    ).toEqual([{ status: 'queued', completed_at: null }]);
    expect(await deleteEndedBatch(h.services.db, batch.id, undefined)).toEqual({
      outcome: 'unfinished',
      status: 'running',
    });
  });

  it('a delete refuses a batch stored as ended while items of it are queued or running', async () => {
    const h = harness();
    const batch = await h.batch({ status: 'failed', endedAgoMs: hour });
    await h.exec(sql`update responses set status = 'queued' where id = ${batch.itemIds[1]}`);
    expect(await deleteEndedBatch(h.services.db, batch.id, undefined)).toMatchObject({
      outcome: 'unfinished',
    });
    expect(await h.ids('batches')).toContain(batch.id);
  });

  it('deletes a batch stored running whose items all ended (nobody read it since)', async () => {
    const h = harness();
    const batch = await h.batch({ status: 'running', endedAgoMs: hour });
    expect(await deleteBatch(h.services, batch.id, undefined)).toBe(2);
    expect(await h.ids('batches')).not.toContain(batch.id);
    // One whose items still run is refused, and its status is settled from them.
    const running = await h.batch({ status: 'queued' });
    await expect(deleteBatch(h.services, running.id, undefined)).rejects.toThrow(
      /is running: cancel it first/,
    );
    expect(await h.exec(sql`select status from batches where id = ${running.id}`)).toEqual([
      { status: 'running' },
    ]);
  });

  it('a prompt delete sees a later turn committed while it waited for the conversation', async () => {
    const h = harness();
    const conversation = await h.conversation([{ endedAgoMs: 0 }]);
    const first = conversation.turnIds[0] as string;
    const later = newId();
    const inserted = gate();
    const commit = gate();
    // A new turn being added: its insert holds a key-share lock on the conversation row.
    const adding = h.services.db.transaction(async (tx) => {
      await tx.execute(sql`insert into responses (id, conversation_id, model, prompt, options, status)
        values (${later}, ${conversation.id}, 'echo', 'next', '{}'::jsonb, 'queued')`);
      inserted.open();
      await commit.opened;
    });
    await inserted.opened;
    const deleting = deleteStoredPrompt(h.services, first, undefined);
    deleting.catch(() => {});
    await someoneWaitsForALock(h);
    commit.open();
    await adding;
    await expect(deleting).rejects.toThrow(`has later turns in conversation ${conversation.id}`);
    expect(await h.ids('responses')).toEqual(expect.arrayContaining([first, later]));
  });

  it('retention keeps a conversation or batch that ended after the cutoff, checked under the lock', async () => {
    const h = harness();
    const cutoff = new Date(Date.now() - 30 * day);
    const conversation = await h.conversation([{ endedAgoMs: 40 * day }, { endedAgoMs: day }]);
    expect(
      await deleteEndedConversation(h.services.db, conversation.id, undefined, {
        endedBefore: cutoff,
      }),
    ).toEqual({ outcome: 'not-due' });
    expect(await h.ids('conversations')).toContain(conversation.id);
    const batch = await h.batch({ status: 'completed', endedAgoMs: day });
    expect(
      await deleteEndedBatch(h.services.db, batch.id, undefined, { endedBefore: cutoff }),
    ).toEqual({ outcome: 'not-due' });
    expect(await h.ids('batches')).toContain(batch.id);
    const old = await h.conversation([{ endedAgoMs: 40 * day }]);
    expect(
      await deleteEndedConversation(h.services.db, old.id, undefined, { endedBefore: cutoff }),
    ).toMatchObject({ outcome: 'deleted' });
  });

  it('deleting a prompt or a batch deletes the webhook deliveries that copy their answers', async () => {
    const h = harness();
    const conversation = await h.conversation([{ endedAgoMs: 0 }]);
    const turn = conversation.turnIds[0] as string;
    const batch = await h.batch({ status: 'completed', endedAgoMs: 0 });
    const kept = await h.delivery({ status: 'delivered', createdAgoMs: hour, endedAgoMs: hour });
    const gone = [];
    for (const subjectId of [turn, batch.id, batch.itemIds[1]]) {
      gone.push(
        await h.delivery({ status: 'pending', createdAgoMs: hour, endedAgoMs: hour, subjectId }),
      );
    }
    await deleteStoredPrompt(h.services, turn, undefined);
    await deleteBatch(h.services, batch.id, undefined);
    const deliveries = await h.ids('webhook_deliveries');
    expect(deliveries).toContain(kept);
    for (const id of gone) expect(deliveries).not.toContain(id);
    const attempts = await h.ids('webhook_attempts', 'delivery_id');
    for (const id of gone) expect(attempts).not.toContain(id);
  });

  it('deleting a facade file takes back its owner’s hold, so the collector frees the bytes', async () => {
    const h = harness();
    const services = { ...h.services, limits };
    const text = 'a file hana uploads, then deletes';
    const bytes = await storeUploadBytes(services, Readable.from([Buffer.from(text)]), {
      declaredType: 'text/plain',
    });
    const file = await recordFile(services, bytes, {
      filename: 'notes.txt',
      purpose: 'user_data',
      owner: 'hana',
    });
    expect(await h.ids('attachment_owners', 'owner')).toContain('hana');
    expect((await deleteFacadeFile(services, file.id, 'hana'))?.id).toBe(file.id);
    expect(await h.ids('attachment_owners', 'owner')).not.toContain('hana');
    await h.exec(sql`update attachments set touched_at = now() - interval '2 hours'
      where id = ${bytes.id}`);
    await collectBlobs(h.services, { graceMs: hour });
    expect(await h.services.blobs.has(bytes.id)).toBe(false);
  });
});
