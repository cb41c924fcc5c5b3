import { type BatchStatus, isEndedBatchStatus } from '@llmq/contracts';
import { and, eq, sql } from 'drizzle-orm';
import { batchCounts } from './batch-counts.ts';
import type { Database, Transaction } from './database.ts';
import { deriveBatchStatus } from './derive-batch-status.ts';
import { executeRows } from './execute-rows.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { batches, providerBatches, responses, webhookDeliveries } from './schema.ts';

export type BatchDeletion =
  | { readonly outcome: 'deleted'; readonly itemIds: readonly string[] }
  | { readonly outcome: 'not-found' }
  /** The batch has not ended (its status, as its items say, is given): nothing was deleted. */
  | { readonly outcome: 'unfinished'; readonly status: BatchStatus }
  /** Ended, but not before the retention's cutoff (checked under the lock): kept. */
  | { readonly outcome: 'not-due' };

/** What retention asks of a batch before it goes, checked again under the batch's lock. */
export interface BatchDue {
  /** It ended before this. */
  readonly endedBefore?: Date | undefined;
  /** Its output (`output_expires_after`, counted from its end) expired by this. */
  readonly outputExpiredBy?: Date | undefined;
}

/** A timestamp parameter, typed: postgres.js would send an ISO string as text. */
const at = (date: Date) => sql`${date.toISOString()}::timestamptz`;

/**
 * Write back the status the items give a batch whose stored status lags (it is written when the
 * batch is read, and an unread one stays `running` after its last item ended). Its end is its
 * items' latest, not now: retention counts from it.
 */
async function settleStatus(tx: Transaction, id: string, stored: BatchStatus, status: BatchStatus) {
  if (status === stored || stored === 'validating') return;
  const ended = status === 'completed' || status === 'cancelled';
  await tx
    .update(batches)
    .set({
      status,
      ...(status !== 'queued' ? { startedAt: sql`coalesce(${batches.startedAt}, now())` } : {}),
      ...(ended
        ? {
            completedAt: sql`coalesce(${batches.completedAt},
              (select max(r.completed_at) from responses r where r.batch_id = ${id}), now())`,
          }
        : {}),
    })
    .where(eq(batches.id, id));
}

/** Whether the batch is due as retention says, read after its status was settled. */
async function isDue(tx: Transaction, id: string, due: BatchDue): Promise<boolean> {
  const end = sql`coalesce(completed_at, cancelled_at, created_at)`;
  const endedBefore = due.endedBefore ? sql`${end} < ${at(due.endedBefore)}` : sql`true`;
  const outputExpired = due.outputExpiredBy
    ? sql`output_expires_at is not null
          and ${end} + (output_expires_at - created_at) <= ${at(due.outputExpiredBy)}`
    : sql`true`;
  const rows = await executeRows<{ due: boolean }>(
    tx,
    sql`select (${endedBefore}) and (${outputExpired}) as due from batches where id = ${id}`,
  );
  return rows[0]?.due === true;
}

/**
 * Delete an ended batch whole: its items (their chain steps, tool results and attachment links
 * with them), its provider batches, the webhook deliveries about it or its items (their payload
 * copies the answers), then the batch. One transaction, so no reader ever sees a batch with part
 * of its items: PostgreSQL deletes 100,000 rows in a few seconds, which a DELETE request can wait
 * for, and a batch status that hides a half-deleted batch would have to be honoured by every
 * read. The batch row is locked first, and whether it ended is then read from its items, not
 * from the stored status (which lags): a retry, which requeues under the same lock, either
 * committed before (its items are seen queued) or starts after the batch is gone. `due`
 * (retention) is checked under the lock too, from the end the settled status gives.
 */
export function deleteEndedBatch(
  db: Database,
  id: string,
  owner: OwnerScope,
): Promise<Exclude<BatchDeletion, { outcome: 'not-due' }>>;
export function deleteEndedBatch(
  db: Database,
  id: string,
  owner: OwnerScope,
  due: BatchDue,
): Promise<BatchDeletion>;
export async function deleteEndedBatch(
  db: Database,
  id: string,
  owner: OwnerScope,
  due?: BatchDue,
): Promise<BatchDeletion> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .select({ id: batches.id, status: batches.status })
      .from(batches)
      .where(and(eq(batches.id, id), ownedByScope(batches.owner, owner)))
      .for('update');
    if (!batch) return { outcome: 'not-found' };
    const counts = await batchCounts(tx, id);
    const derived = deriveBatchStatus(batch.status, counts);
    // A batch still being queued keeps `validating` stored: that is how an interrupted one is found.
    const status = batch.status === 'validating' ? 'validating' : derived;
    await settleStatus(tx, id, batch.status, status);
    if (!isEndedBatchStatus(status)) return { outcome: 'unfinished', status };
    // Even a batch stored as failed or cancelled is not deleted under items still in work.
    if (counts.queued + counts.running > 0) return { outcome: 'unfinished', status: 'running' };
    if (due && !(await isDue(tx, id, due))) return { outcome: 'not-due' };
    await tx.delete(webhookDeliveries).where(
      sql`${webhookDeliveries.subjectId} = ${id} or ${webhookDeliveries.subjectId} in (
          select r.id from responses r where r.batch_id = ${id})`,
    );
    const removed = await tx
      .delete(responses)
      .where(eq(responses.batchId, id))
      .returning({ id: responses.id });
    await tx.delete(providerBatches).where(eq(providerBatches.batchId, id));
    await tx.delete(batches).where(eq(batches.id, id));
    return { outcome: 'deleted', itemIds: removed.map((row) => row.id) };
  });
}
