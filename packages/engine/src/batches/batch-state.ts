import type { BatchStatusBody } from '@llmq/contracts';
import {
  type BatchCounts,
  type BatchRow,
  batchCounts,
  type Database,
  deriveBatchStatus,
  setBatchStatus,
} from '@llmq/db';

export interface BatchState {
  readonly batch: BatchRow;
  readonly status: BatchStatusBody;
  readonly counts: BatchCounts;
}

/**
 * A batch's status as its items say: counts come from the item rows; `running`, `completed`
 * and `cancelled` follow from them, and are written back when reached so listings agree.
 */
export async function batchState(db: Database, batch: BatchRow): Promise<BatchState> {
  const counts = await batchCounts(db, batch.id);
  const status = deriveStatus(batch.status, counts);
  // A batch still being queued keeps `validating` stored: that is how an interrupted one is found.
  if (status === batch.status || batch.status === 'validating') return { batch, status, counts };
  const updated = await setBatchStatus(db, batch.id, [batch.status], {
    status,
    startedAt: status !== 'queued',
    completedAt: status === 'completed' || status === 'cancelled',
  });
  return { batch: updated ?? batch, status, counts };
}

/** A batch's status as its items say (the rule lives with the queries that settle a batch). */
export function deriveStatus(stored: BatchRow['status'], counts: BatchCounts): BatchStatusBody {
  return deriveBatchStatus(stored, counts);
}
