import { type BatchStatus, isEndedBatchStatus } from '@llmq/contracts';
import type { BatchState } from '@llmq/engine';
import { endpointOfBatch } from './batch-endpoint.ts';
import { batchOutputFileId } from './batch-output-file.ts';
import { unixSeconds } from './chat-completion-body.ts';

const statuses = {
  validating: 'validating',
  queued: 'in_progress',
  running: 'in_progress',
  completed: 'completed',
  cancelling: 'cancelling',
  cancelled: 'cancelled',
  failed: 'failed',
} as const satisfies Record<BatchStatus, string>;

/** The seconds OpenAI gives a batch to end (`completion_window: 24h`). */
const completionWindowSeconds = 24 * 60 * 60;

const at = (date: Date | null | undefined) => (date ? unixSeconds(date) : null);

/**
 * When a batch's output and error files expire (`output_expires_after`), or undefined: never,
 * or not known before the batch ends. `output_expires_at` holds the policy as given,
 * `created_at + seconds`; OpenAI anchors the seconds on the output file's creation, the batch's
 * end, so they count from there.
 */
export function outputExpiryOf(batch: BatchState['batch']): Date | undefined {
  if (!batch.outputExpiresAt) return undefined;
  const end = batch.completedAt ?? batch.cancelledAt;
  if (!end) return undefined;
  // Whole seconds: rows written before the insert computed it were read on the host a little
  // before their created_at, so they hold it a little short.
  const seconds = Math.round((batch.outputExpiresAt.getTime() - batch.createdAt.getTime()) / 1_000);
  return new Date(end.getTime() + seconds * 1_000);
}

/**
 * An llmq batch as an OpenAI batch: its statuses, `request_counts` (cancelled requests count
 * as failed, as they have no answer) and, once it has ended, its output and error files.
 */
export function openAIBatchBody({ batch, status, counts }: BatchState) {
  const ended = isEndedBatchStatus(status);
  const unanswered = counts.failed + counts.cancelled;
  return {
    id: batch.id,
    object: 'batch' as const,
    endpoint: endpointOfBatch(batch.endpoint),
    model: batch.model,
    errors: batch.error
      ? {
          object: 'list' as const,
          data: [{ code: 'batch_failed', message: batch.error, param: null, line: null }],
        }
      : null,
    input_file_id: batch.inputFileId ?? '',
    completion_window: '24h',
    status: statuses[status],
    output_file_id: ended && counts.succeeded > 0 ? batchOutputFileId('output', batch.id) : null,
    error_file_id: ended && unanswered > 0 ? batchOutputFileId('errors', batch.id) : null,
    created_at: unixSeconds(batch.createdAt),
    in_progress_at: at(batch.startedAt),
    expires_at: unixSeconds(batch.createdAt) + completionWindowSeconds,
    finalizing_at: null,
    completed_at: status === 'completed' ? at(batch.completedAt) : null,
    failed_at: status === 'failed' ? at(batch.completedAt ?? batch.createdAt) : null,
    expired_at: null,
    cancelling_at: at(batch.cancelledAt),
    cancelled_at: status === 'cancelled' ? at(batch.completedAt ?? batch.cancelledAt) : null,
    request_counts: { total: counts.total, completed: counts.succeeded, failed: unanswered },
    metadata: batch.metadata,
  };
}
