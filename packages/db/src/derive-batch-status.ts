import type { BatchStatus } from '@llmq/contracts';
import type { BatchCounts } from './batch-counts.ts';

/**
 * A batch's status as its items say, from the stored one and the item counts: the stored status
 * lags (it is written back when the batch is read, or by whoever settles it), the items do not.
 * `failed` and `cancelled` stay; a `validating` batch whose items started is `running`.
 */
export function deriveBatchStatus(stored: BatchStatus, counts: BatchCounts): BatchStatus {
  if (stored === 'failed' || stored === 'cancelled') return stored;
  if (stored === 'validating') {
    return counts.queued === counts.total ? 'validating' : 'running';
  }
  const ended = counts.succeeded + counts.failed + counts.cancelled;
  if (stored === 'cancelling')
    return counts.queued + counts.running === 0 ? 'cancelled' : 'cancelling';
  if (ended === counts.total) return 'completed';
  if (counts.running > 0 || ended > 0) return 'running';
  return 'queued';
}
