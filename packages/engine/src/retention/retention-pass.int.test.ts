import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useRetentionHarness } from './retention.fixture.ts';
import { runRetentionPass } from './retention-pass.ts';

const minute = 60_000;
const hour = 60 * minute;
const day = 24 * hour;

const policy = {
  prompts: 30 * day,
  batches: 30 * day,
  files: 30 * day,
  webhook_deliveries: 7 * day,
  attachments: 30 * day,
};

// The test: a database with due and not-due data of every kind; one pass removes
// exactly what is due, the bytes nothing refers to any more with it, and nothing else.
describe.each(['filesystem', 's3'] as const)('one retention pass (%s blobs)', (driver) => {
  const harness = useRetentionHarness(driver);

  it('removes exactly what is due, unreferenced blobs included, and nothing else', async () => {
    const h = harness();
    // Attachments, each touched long ago unless said.
    const onlyInOldConversation = await h.attachment('old conversation', 40 * day);
    const shared = await h.attachment('shared by an old and a recent conversation', 40 * day);
    const onlyInOldBatch = await h.attachment('old batch', 40 * day);
    const ofExpiredFile = await h.attachment('expired file', 40 * day);
    const ofOldFile = await h.attachment('old file', 40 * day);
    const ofLiveFile = await h.attachment('live file', 40 * day);
    const heldUnused = await h.attachment('held by alice, used by nothing', 40 * day);
    const heldUsed = await h.attachment('held by bob, used in his prompt', 40 * day);
    const heldRecently = await h.attachment('held by carol lately', 40 * day);
    const orphan = await h.attachment('referenced by nothing', 2 * hour);
    const fresh = await h.attachment('just uploaded, not linked yet', 10 * minute);
    const ofExpiredHeldFile = await h.attachment('expired file frank uploaded', 40 * day);
    const ofExpiredUsedFile = await h.attachment('expired file gina also prompted with', 40 * day);

    const oldConversation = await h.conversation([
      { endedAgoMs: 41 * day, attachments: [onlyInOldConversation, shared] },
      { endedAgoMs: 40 * day },
    ]);
    // A chat request's earlier turns, stored with it: ended, with no completed_at of their own.
    const chatConversation = await h.conversation([
      { createdAgoMs: 35 * day },
      { createdAgoMs: 35 * day, endedAgoMs: 35 * day },
    ]);
    const recentChat = await h.conversation([{ createdAgoMs: 2 * day }, { endedAgoMs: 2 * day }]);
    const recentConversation = await h.conversation([
      { endedAgoMs: 40 * day, attachments: [shared] },
      { endedAgoMs: 1 * day },
    ]);
    const unfinishedConversation = await h.conversation([
      { endedAgoMs: 40 * day },
      { status: 'running' },
    ]);
    const bobsConversation = await h.conversation([
      { endedAgoMs: 2 * day, attachments: [heldUsed], owner: 'bob' },
    ]);
    const ginasConversation = await h.conversation([
      { endedAgoMs: 2 * day, attachments: [ofExpiredUsedFile], owner: 'gina' },
    ]);

    const oldBatch = await h.batch({
      status: 'completed',
      endedAgoMs: 40 * day,
      attachments: [onlyInOldBatch],
    });
    await h.batch({ status: 'cancelled', endedAgoMs: 31 * day });
    const recentBatch = await h.batch({ status: 'completed', endedAgoMs: 1 * day });
    const runningBatch = await h.batch({ status: 'running' });
    // Stored `running` because nobody read them since their last item ended: the items say
    // they ended, 40 days and 1 day ago.
    await h.batch({ status: 'running', endedAgoMs: 40 * day });
    const unreadRecentBatch = await h.batch({ status: 'running', endedAgoMs: 1 * day });
    await h.exec(sql`update batches set created_at = now() - interval '40 days'
      where id = ${runningBatch.id}`);
    await h.batch({
      status: 'completed',
      endedAgoMs: 2 * hour,
      outputExpiresAfterSeconds: 3_600,
    });
    const liveOutputBatch = await h.batch({
      status: 'completed',
      endedAgoMs: 2 * hour,
      outputExpiresAfterSeconds: 86_400,
    });

    await h.file({
      attachmentId: ofExpiredFile,
      createdAgoMs: 2 * day,
      expiresInMs: -minute,
    });
    await h.file({ attachmentId: ofOldFile, createdAgoMs: 31 * day });
    const liveFile = await h.file({
      attachmentId: ofLiveFile,
      createdAgoMs: 1 * day,
      expiresInMs: day,
    });
    // Uploading a file grants its owner a hold on the bytes: it goes with the file, unless a
    // prompt of the owner's uses them.
    await h.file({
      attachmentId: ofExpiredHeldFile,
      createdAgoMs: 2 * day,
      expiresInMs: -minute,
      owner: 'frank',
    });
    await h.grant(ofExpiredHeldFile, 'frank', 2 * day);
    await h.file({
      attachmentId: ofExpiredUsedFile,
      createdAgoMs: 2 * day,
      expiresInMs: -minute,
      owner: 'gina',
    });
    await h.grant(ofExpiredUsedFile, 'gina', 2 * day);

    await h.grant(heldUnused, 'alice', 40 * day);
    await h.grant(heldUsed, 'bob', 40 * day);
    await h.grant(heldRecently, 'carol', 1 * day);

    await h.delivery({
      status: 'delivered',
      createdAgoMs: 9 * day,
      endedAgoMs: 8 * day,
    });
    await h.delivery({
      status: 'failed',
      createdAgoMs: 9 * day,
      endedAgoMs: 8 * day,
    });
    const recentDelivered = await h.delivery({
      status: 'delivered',
      createdAgoMs: 2 * day,
      endedAgoMs: 1 * day,
    });
    const oldPending = await h.delivery({ status: 'pending', createdAgoMs: 40 * day });
    // Recent deliveries about prompts and batches that go: their payload copies the answers.
    for (const subjectId of [oldConversation.turnIds[1], oldBatch.id, oldBatch.itemIds[0]]) {
      await h.delivery({ status: 'delivered', createdAgoMs: 2 * day, endedAgoMs: day, subjectId });
    }

    // Event logs of prompts and batches that go, which the pass forgets too.
    await h.services.events.append(
      oldConversation.turnIds[0] as string,
      {
        type: 'status',
        status: 'running',
        attempt: 1,
      } as never,
    );
    await h.services.batchLog.append(oldBatch.id, {
      id: oldBatch.itemIds[0],
      index: 0,
      status: 'succeeded',
    } as never);
    expect(await h.services.events.exists(oldConversation.turnIds[0] as string)).toBe(true);

    const report = await runRetentionPass(h.services, { policy, graceMs: hour, chunkSize: 2 });

    expect(await h.ids('conversations')).toEqual(
      [
        recentConversation.id,
        unfinishedConversation.id,
        bobsConversation.id,
        ginasConversation.id,
        recentChat.id,
      ].sort(),
    );
    expect(await h.ids('conversations')).not.toContain(chatConversation.id);
    expect(await h.ids('batches')).toEqual(
      [recentBatch.id, runningBatch.id, unreadRecentBatch.id, liveOutputBatch.id].sort(),
    );
    // The unread batch that ended lately is kept, its status settled from its items' end.
    expect(
      await h.exec(sql`select status, completed_at < now() - interval '23 hours' as ended_then
        from batches where id = ${unreadRecentBatch.id}`),
    ).toEqual([{ status: 'completed', ended_then: true }]);
    expect(await h.ids('responses')).toEqual(
      [
        ...recentConversation.turnIds,
        ...recentChat.turnIds,
        ...unfinishedConversation.turnIds,
        ...bobsConversation.turnIds,
        ...ginasConversation.turnIds,
        ...recentBatch.itemIds,
        ...runningBatch.itemIds,
        ...unreadRecentBatch.itemIds,
        ...liveOutputBatch.itemIds,
      ].sort(),
    );
    expect(await h.ids('provider_batches', 'batch_id')).toEqual(
      [recentBatch.id, runningBatch.id, unreadRecentBatch.id, liveOutputBatch.id].sort(),
    );
    expect(await h.ids('files')).toEqual([liveFile]);
    expect(await h.ids('webhook_deliveries')).toEqual([recentDelivered, oldPending].sort());
    expect(await h.ids('webhook_attempts', 'delivery_id')).toEqual(
      [recentDelivered, oldPending].sort(),
    );
    expect(await h.ids('attachment_owners', 'owner')).toEqual(['bob', 'carol', 'gina']);

    const kept = [shared, ofLiveFile, heldUsed, heldRecently, fresh, ofExpiredUsedFile].sort();
    const removed = [
      onlyInOldConversation,
      onlyInOldBatch,
      ofExpiredFile,
      ofOldFile,
      heldUnused,
      orphan,
      ofExpiredHeldFile,
    ];
    expect(await h.ids('attachments')).toEqual(kept);
    for (const id of kept) expect(await h.services.blobs.has(id)).toBe(true);
    for (const id of removed) expect(await h.services.blobs.has(id)).toBe(false);

    expect(await h.services.events.exists(oldConversation.turnIds[0] as string)).toBe(false);
    expect(await h.services.batchLog.read(oldBatch.id)).toEqual([]);
    expect(report).toMatchObject({
      conversations: 2,
      prompts: 4,
      batches: 4,
      batchItems: 8,
      files: 4,
      webhookDeliveries: 2,
      attachmentHolds: 1,
      blobs: removed.length,
    });

    // A second pass finds nothing more.
    const again = await runRetentionPass(h.services, { policy, graceMs: hour });
    expect(Object.values(again).every((count) => count === 0)).toBe(true);
  });

  it('keeps everything without a policy, but honours files’ and outputs’ own expiry', async () => {
    const h = harness();
    const before = {
      conversations: await h.ids('conversations'),
      batches: await h.ids('batches'),
    };
    const old = await h.conversation([{ endedAgoMs: 400 * day }]);
    const oldBatch = await h.batch({ status: 'completed', endedAgoMs: 400 * day });
    const expiring = await h.batch({
      status: 'failed',
      endedAgoMs: 2 * hour,
      outputExpiresAfterSeconds: 3_600,
    });
    // Stored `running`, unread since its items ended 2 hours ago; its output expired after 1.
    const unreadExpiring = await h.batch({
      status: 'running',
      endedAgoMs: 2 * hour,
      outputExpiresAfterSeconds: 3_600,
    });
    const bytes = await h.attachment('expiring upload', 400 * day);
    await h.file({ attachmentId: bytes, createdAgoMs: 400 * day, expiresInMs: -1 });
    const report = await runRetentionPass(h.services, { policy: {}, graceMs: hour });
    expect(await h.ids('conversations')).toEqual([...before.conversations, old.id].sort());
    expect(await h.ids('batches')).toEqual([...before.batches, oldBatch.id].sort());
    expect(expiring.id).not.toBe(oldBatch.id);
    expect(await h.ids('batches')).not.toContain(unreadExpiring.id);
    expect(await h.services.blobs.has(bytes)).toBe(false);
    expect(report).toMatchObject({ conversations: 0, batches: 2, files: 1, blobs: 1 });
  });
});
