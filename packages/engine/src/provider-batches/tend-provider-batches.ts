import { type Database, overdueProviderBatches } from '@llmq/db';
import type { ProviderBatchQueue } from './provider-batch-queue.ts';

/**
 * The reconciler's part: every provider batch that has not ended and is overdue by more than
 * `overdueByMs` (its poll due, or its submission begun, that long ago) gets its job added
 * again. Job ids are deterministic and stale rounds do nothing, so adding a job that exists, or
 * one whose round passed, costs nothing; a job Redis lost, or one left in the failed set (it
 * stalled out), is back. How many were looked at.
 */
export async function tendProviderBatches(
  db: Database,
  queue: ProviderBatchQueue,
  overdueByMs: number,
): Promise<number> {
  const rows = await overdueProviderBatches(db, overdueByMs);
  for (const row of rows) {
    if (row.status === 'submitting') await queue.submit(row.batchId);
    else await queue.poll(row.id, row.pollRound, 0);
  }
  return rows.length;
}
