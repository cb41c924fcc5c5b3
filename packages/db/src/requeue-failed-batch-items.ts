import type { BatchStatus } from '@llmq/contracts';
import { and, eq, inArray } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { batches, responses } from './schema.ts';

/** The stored statuses a retry may start from; the others (cancelling, cancelled, validating) refuse. */
const retryableStatuses: readonly BatchStatus[] = ['queued', 'running', 'completed', 'failed'];

export type BatchRequeue =
  | { readonly outcome: 'requeued'; readonly itemIds: readonly string[] }
  | { readonly outcome: 'not-found' }
  /** The batch's stored status allows no retry (it is given): nothing changed. */
  | { readonly outcome: 'refused'; readonly status: BatchStatus };

/**
 * Put a batch's failed items back to `queued` from scratch (attempts 0) and the batch to
 * `queued`, in one transaction with the batch row locked first: a delete of the batch (which
 * locks the same row, then looks for unfinished items) either finishes before, and the retry
 * finds no batch, or sees the requeued items. The batch's `completed_at` and
 * `webhook_queued_at` are cleared: it ends again when the requeued items do, and that end is
 * reported to its webhook too (the outbox claims the row before counting, so it sees this
 * retry whole). Items a provider batch failed run again in real time: they leave it.
 */
export async function requeueFailedBatchItems(
  db: Database,
  batchId: string,
  owner?: OwnerScope,
): Promise<BatchRequeue> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .select({ status: batches.status })
      .from(batches)
      .where(and(eq(batches.id, batchId), ownedByScope(batches.owner, owner)))
      .for('update');
    if (!batch) return { outcome: 'not-found' };
    if (!retryableStatuses.includes(batch.status)) {
      return { outcome: 'refused', status: batch.status };
    }
    const rows = await tx
      .update(responses)
      .set({
        status: 'queued',
        attempts: 0,
        errorKind: null,
        error: null,
        startedAt: null,
        completedAt: null,
        providerBatchId: null,
      })
      .where(and(eq(responses.batchId, batchId), eq(responses.status, 'failed')))
      .returning({ id: responses.id });
    if (rows.length > 0) {
      await tx
        .update(batches)
        // webhook_queued_at cleared: its next end reports again (a new delivery).
        .set({ status: 'queued', completedAt: null, webhookQueuedAt: null })
        .where(and(eq(batches.id, batchId), inArray(batches.status, [...retryableStatuses])));
    }
    return { outcome: 'requeued', itemIds: rows.map((row) => row.id) };
  });
}
