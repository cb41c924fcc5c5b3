import type { RetentionPolicy } from '@llmq/contracts';
import {
  type BatchDue,
  batchesEndedBefore,
  batchesWithExpiredOutput,
  conversationsEndedBefore,
  type Database,
  deleteEndedBatch,
  deleteEndedConversation,
  deleteEndedWebhookDeliveries,
  deleteExpiredFiles,
  releaseUnusedGrants,
} from '@llmq/db';
import type { BatchLog, EventLog } from '@llmq/queue';
import type { BlobStore } from '@llmq/storage';
import { collectBlobs } from './blob-collector.ts';
import { resetEventLogs } from './delete-conversation.ts';

export interface RetentionServices {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly events: EventLog;
  readonly batchLog: BatchLog;
}

export interface RetentionPassOptions {
  readonly policy: RetentionPolicy;
  /** How long an attachment stored or linked lately is left alone by the blob collector. */
  readonly graceMs: number;
  /** Rows per statement or per listing: no pass holds a long lock or a large result. */
  readonly chunkSize?: number | undefined;
  readonly now?: (() => Date) | undefined;
}

/** What one pass removed. */
export interface RetentionReport {
  readonly conversations: number;
  readonly prompts: number;
  readonly batches: number;
  readonly batchItems: number;
  readonly files: number;
  readonly webhookDeliveries: number;
  readonly attachmentHolds: number;
  readonly blobs: number;
  readonly blobBytes: number;
}

/** Repeat a chunked step until a chunk comes back short: the total it removed. */
async function inChunks(chunkSize: number, step: () => Promise<number>): Promise<number> {
  let total = 0;
  for (;;) {
    const removed = await step();
    total += removed;
    if (removed < chunkSize) return total;
  }
}

/**
 * One retention pass: whatever the policy says is due goes, in bounded chunks, then the bytes
 * nothing refers to any more. Conversations go whole (every turn ended before the cutoff), as
 * do batches (with their items); facade files past their `expires_at` and batches past their
 * output's expiry go whatever the policy says.
 */
export async function runRetentionPass(
  services: RetentionServices,
  options: RetentionPassOptions,
): Promise<RetentionReport> {
  const chunkSize = options.chunkSize ?? 500;
  const now = options.now?.() ?? new Date();
  const cutoff = (periodMs: number | undefined) =>
    periodMs === undefined ? undefined : new Date(now.getTime() - periodMs);
  const { policy } = options;
  let conversations = 0;
  let prompts = 0;
  let batches = 0;
  let batchItems = 0;

  const promptsCutoff = cutoff(policy.prompts);
  if (promptsCutoff) {
    for (;;) {
      const ids = await conversationsEndedBefore(services.db, promptsCutoff, chunkSize);
      let removed = 0;
      for (const id of ids) {
        // Deleted only if every turn is still ended before the cutoff: a turn added since the
        // listing is seen under the conversation's lock.
        const deletion = await deleteEndedConversation(services.db, id, undefined, {
          endedBefore: promptsCutoff,
        });
        if (deletion.outcome !== 'deleted') continue;
        removed += 1;
        prompts += deletion.promptIds.length;
        await resetEventLogs(services.events, deletion.promptIds);
      }
      conversations += removed;
      if (ids.length < chunkSize || removed === 0) break;
    }
  }

  const deleteBatches = async (list: () => Promise<string[]>, due: BatchDue) => {
    for (;;) {
      const ids = await list();
      // Deleted, or settled and not due yet: either way the next listing leaves it out.
      let handled = 0;
      for (const id of ids) {
        // Deleted only if its items all ended and it is still due: both are read under its lock.
        const deletion = await deleteEndedBatch(services.db, id, undefined, due);
        if (deletion.outcome === 'not-due') handled += 1;
        if (deletion.outcome !== 'deleted') continue;
        handled += 1;
        batches += 1;
        batchItems += deletion.itemIds.length;
        await services.batchLog.reset(id);
        await resetEventLogs(services.events, deletion.itemIds);
      }
      if (ids.length < chunkSize || handled === 0) return;
    }
  };
  const batchesCutoff = cutoff(policy.batches);
  if (batchesCutoff) {
    await deleteBatches(() => batchesEndedBefore(services.db, batchesCutoff, chunkSize), {
      endedBefore: batchesCutoff,
    });
  }
  // llmq's batch output is its items: once the output expired the batch has nothing to show.
  await deleteBatches(() => batchesWithExpiredOutput(services.db, now, chunkSize), {
    outputExpiredBy: now,
  });

  const filesCutoff = cutoff(policy.files);
  const files = await inChunks(chunkSize, async () => {
    const ids = await deleteExpiredFiles(services.db, {
      now,
      cutoff: filesCutoff,
      limit: chunkSize,
    });
    return ids.length;
  });

  const deliveriesCutoff = cutoff(policy.webhook_deliveries);
  const webhookDeliveries = deliveriesCutoff
    ? await inChunks(chunkSize, () =>
        deleteEndedWebhookDeliveries(services.db, deliveriesCutoff, chunkSize),
      )
    : 0;

  const holdsCutoff = cutoff(policy.attachments);
  const attachmentHolds = holdsCutoff
    ? await inChunks(chunkSize, () => releaseUnusedGrants(services.db, holdsCutoff, chunkSize))
    : 0;

  const blobs = await collectBlobs(services, { graceMs: options.graceMs, chunkSize });
  return {
    conversations,
    prompts,
    batches,
    batchItems,
    files,
    webhookDeliveries,
    attachmentHolds,
    blobs: blobs.attachments,
    blobBytes: blobs.bytes,
  };
}
