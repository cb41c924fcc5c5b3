import type { BatchItemEvent } from '@llmq/contracts';
import type { ResponseRow } from '@llmq/db';
import type { BatchLog } from '@llmq/queue';
import type { Logger } from 'pino';

/**
 * A batch item's end goes to its batch's log (a worker's run, a provider batch's import); a
 * lost entry only thins the item stream.
 */
export async function recordBatchItemEnd(
  deps: { readonly batchLog?: Pick<BatchLog, 'append'> | undefined },
  prompt: ResponseRow,
  status: BatchItemEvent['status'],
  log: Logger,
): Promise<void> {
  if (!prompt.batchId || !deps.batchLog) return;
  try {
    await deps.batchLog.append(prompt.batchId, {
      type: 'item',
      index: prompt.batchIndex ?? 0,
      custom_id: prompt.customId,
      prompt_id: prompt.id,
      status,
    });
  } catch (error) {
    log.warn({ err: error, batchId: prompt.batchId }, 'could not record the batch item end');
  }
}
