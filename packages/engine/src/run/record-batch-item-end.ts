import type { ResponseRow } from '@llmq/db';
import type { Logger } from 'pino';
import type { EngineDependencies } from './engine-dependencies.ts';

/** A batch item's end goes to its batch's log; a lost entry only thins the item stream. */
export async function recordBatchItemEnd(
  deps: EngineDependencies,
  prompt: ResponseRow,
  status: 'succeeded' | 'failed',
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
