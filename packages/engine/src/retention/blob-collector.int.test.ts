import { Readable } from 'node:stream';
import { collectAttachment, touchAttachments } from '@llmq/db';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { storeUpload } from '../submit/store-upload.ts';
import { collectBlobs } from './blob-collector.ts';
import { deleteConversation } from './delete-conversation.ts';
import { useRetentionHarness } from './retention.fixture.ts';

const hour = 3_600_000;
const limits = {
  maxAttachmentBytes: 1_000_000,
  maxInlineAttachmentBytes: 1_000_000,
  urlFetchTimeoutMs: 1_000,
  maxBatchItems: 10,
  maxAttachmentsPerPrompt: 10,
  maxPromptChars: 1_000,
};

describe.each(['filesystem', 's3'] as const)('the blob collector (%s)', (driver) => {
  const harness = useRetentionHarness(driver);

  it('keeps bytes two prompts share until both are deleted and the grace has passed', async () => {
    const h = harness();
    const shared = await h.attachment('bytes two conversations use', 0);
    const first = await h.conversation([{ endedAgoMs: 0, attachments: [shared] }]);
    const second = await h.conversation([{ endedAgoMs: 0, attachments: [shared] }]);

    await deleteConversation(h.services, first.id, undefined);
    await h.exec(sql`update attachments set touched_at = now() - interval '2 hours'`);
    expect(await collectBlobs(h.services, { graceMs: hour })).toEqual({ attachments: 0, bytes: 0 });
    expect(await h.services.blobs.has(shared)).toBe(true);

    await deleteConversation(h.services, second.id, undefined);
    // Unreferenced now, but touched within the grace: an upload may be about to link it.
    await h.exec(sql`update attachments set touched_at = now() - interval '30 minutes'`);
    expect((await collectBlobs(h.services, { graceMs: hour })).attachments).toBe(0);
    expect(await h.services.blobs.has(shared)).toBe(true);

    await h.exec(sql`update attachments set touched_at = now() - interval '2 hours'`);
    const collected = await collectBlobs(h.services, { graceMs: hour });
    expect(collected).toEqual({
      attachments: 1,
      bytes: Buffer.byteLength('bytes two conversations use'),
    });
    expect(await h.services.blobs.has(shared)).toBe(false);
    expect(await h.ids('attachments')).not.toContain(shared);
  });

  it('leaves bytes an upload of the same content touched while it was collecting', async () => {
    const h = harness();
    const text = 'uploaded again while being collected';
    const id = await h.attachment(text, 2 * hour);
    let upload: Promise<unknown> | undefined;
    const removed = await collectAttachment(h.services.db, id, {
      graceMs: hour,
      removeBytes: async (attachment) => {
        // The same bytes arrive while the collector holds the row: the upload's touch waits
        // for the collection to end, then writes the bytes again and records the row anew.
        upload = storeUpload(
          { db: h.services.db, blobs: h.services.blobs, limits },
          Readable.from([Buffer.from(text)]),
          { declaredType: 'text/plain', owner: 'dana' },
        );
        await new Promise((resolve) => setTimeout(resolve, 200));
        await h.services.blobs.delete(attachment.id);
      },
    });
    expect(removed).toBe(true);
    await upload;
    expect(await h.services.blobs.has(id)).toBe(true);
    expect(await h.ids('attachments')).toContain(id);
    // Held by its uploader now, so no later collection takes it.
    await h.exec(sql`update attachments set touched_at = now() - interval '2 hours'`);
    await collectBlobs(h.services, { graceMs: hour });
    expect(await h.services.blobs.has(id)).toBe(true);
  });

  it('refuses a prompt linking by id bytes a collection is removing, rather than linking them', async () => {
    const h = harness();
    const id = await h.attachment('named by id while being collected', 2 * hour);
    let linking: Promise<Set<string>> | undefined;
    await collectAttachment(h.services.db, id, {
      graceMs: hour,
      removeBytes: async (attachment) => {
        // What a prompt naming the attachment does before linking it: the touch waits for the
        // collection and then finds no row, so the prompt answers not found.
        linking = touchAttachments(h.services.db, [id]);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await h.services.blobs.delete(attachment.id);
      },
    });
    expect(await linking).toEqual(new Set());
    // Touched first, the collection leaves the bytes for the prompt.
    const kept = await h.attachment('named by id before the collection', 2 * hour);
    expect(await touchAttachments(h.services.db, [kept])).toEqual(new Set([kept]));
    expect((await collectBlobs(h.services, { graceMs: hour })).attachments).toBe(0);
    expect(await h.services.blobs.has(kept)).toBe(true);
  });
});
