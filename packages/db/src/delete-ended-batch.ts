import { and, eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { batches, providerBatches, responses } from './schema.ts';

const endedBatchStatuses = new Set(['completed', 'failed', 'cancelled']);

export type BatchDeletion =
  | { readonly outcome: 'deleted'; readonly itemIds: readonly string[] }
  | { readonly outcome: 'not-found' }
  /** The batch has not ended (its status is given): nothing was deleted. */
  | { readonly outcome: 'unfinished'; readonly status: string };

/**
 * Delete an ended batch whole: its items (their chain steps, tool results and attachment links
 * with them), its provider batches, then the batch. One transaction, so no reader ever sees a
 * batch with part of its items: PostgreSQL deletes 100,000 rows in a few seconds, which a DELETE
 * request can wait for, and a batch status that hides a half-deleted batch would have to be
 * honoured by every read. The batch row is locked first: a retry of its failed items cannot
 * start meanwhile.
 */
export async function deleteEndedBatch(
  db: Database,
  id: string,
  owner: OwnerScope,
): Promise<BatchDeletion> {
  return db.transaction(async (tx) => {
    const [batch] = await tx
      .select({ id: batches.id, status: batches.status })
      .from(batches)
      .where(and(eq(batches.id, id), ownedByScope(batches.owner, owner)))
      .for('update');
    if (!batch) return { outcome: 'not-found' };
    if (!endedBatchStatuses.has(batch.status))
      return { outcome: 'unfinished', status: batch.status };
    const removed = await tx
      .delete(responses)
      .where(eq(responses.batchId, id))
      .returning({ id: responses.id });
    await tx.delete(providerBatches).where(eq(providerBatches.batchId, id));
    await tx.delete(batches).where(eq(batches.id, id));
    return { outcome: 'deleted', itemIds: removed.map((row) => row.id) };
  });
}
