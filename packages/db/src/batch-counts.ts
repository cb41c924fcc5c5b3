import { type PromptStatus, promptStatuses } from '@llmq/contracts';
import { count, eq } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import { responses } from './schema.ts';

export type BatchCounts = { readonly total: number } & Readonly<Record<PromptStatus, number>>;

/**
 * Items of a batch by status, counted from the item rows themselves in one statement: nothing
 * is kept as a running tally, so items finishing concurrently can never make the sum drift
 * from the total.
 */
export async function batchCounts(db: DatabaseExecutor, batchId: string): Promise<BatchCounts> {
  const rows = await db
    .select({ status: responses.status, count: count() })
    .from(responses)
    .where(eq(responses.batchId, batchId))
    .groupBy(responses.status);
  const counts: Record<PromptStatus, number> = {
    queued: 0,
    running: 0,
    succeeded: 0,
    failed: 0,
    cancelled: 0,
  };
  for (const row of rows) counts[row.status] = Number(row.count);
  const total = promptStatuses.reduce((sum, status) => sum + counts[status], 0);
  return { total, ...counts };
}
