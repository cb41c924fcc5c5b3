import {
  endProviderItem,
  getBatch,
  getProviderBatch,
  type ProviderBatchRow,
  type ProviderBatchStatus,
  providerBatchesOf,
  queuedProviderBatchItems,
  setProviderBatch,
} from '@llmq/db';
import type { Logger } from 'pino';
import { batchState } from '../batches/batch-state.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';
import type { ProviderBatchJob } from './provider-batch-queue.ts';
import { recordProviderItem } from './record-provider-item.ts';

/** The error kind of items whose provider batch could not be submitted or followed. */
export const providerBatchFailedKind = 'ProviderBatchFailed';

/** The statuses a provider batch can still be ended `failed` from. */
const unended: readonly ProviderBatchStatus[] = ['submitting', 'in_progress', 'importing'];

/**
 * End one provider batch `failed` with `reason`: its still-queued items end failed through the
 * importer's fenced path (their events, item log and the batch's counts as any failure's, and
 * `retry` runs them in real time), then the row, then the llmq batch's status is derived again.
 * Items already imported keep their answers.
 */
export async function failProviderBatch(
  deps: ProviderBatchDependencies,
  row: ProviderBatchRow,
  reason: string,
  log: Logger,
): Promise<number> {
  let failed = 0;
  for (;;) {
    const page = await queuedProviderBatchItems(deps.db, row.id, -1, 500);
    if (page.length === 0) break;
    for (const item of page) {
      const ended = await endProviderItem(deps.db, item.id, row.id, {
        status: 'failed',
        errorKind: providerBatchFailedKind,
        error: reason,
      });
      if (ended) {
        failed++;
        await recordProviderItem(deps, ended, log);
      }
    }
  }
  await setProviderBatch(deps.db, row.id, unended, {
    status: 'failed',
    error: reason,
    ended: true,
  });
  const batch = await getBatch(deps.db, row.batchId);
  if (batch) await batchState(deps.db, batch);
  log.warn({ providerBatchId: row.id, failed, reason }, 'provider batch failed');
  return failed;
}

/**
 * What a provider batch job that failed for good leaves behind is ended: a submit job's rows not
 * yet at the provider, or a poll job's row (cancelled at the provider first, as best it can be:
 * nobody would read its answers). Without this the items would stay queued with no job.
 */
export async function failProviderBatchJob(
  deps: ProviderBatchDependencies,
  job: ProviderBatchJob,
  reason: string,
): Promise<void> {
  if (job.kind === 'submit') {
    const log = deps.logger.child({ batchId: job.batchId });
    for (const row of await providerBatchesOf(deps.db, job.batchId)) {
      if (row.status === 'submitting') await failProviderBatch(deps, row, reason, log);
    }
    return;
  }
  const row = await getProviderBatch(deps.db, job.providerBatchId);
  if (!row || !unended.includes(row.status)) return;
  const log = deps.logger.child({ batchId: row.batchId, providerBatchId: row.id });
  if (row.providerBatchId) await cancelQuietly(deps, row, log);
  await failProviderBatch(deps, row, reason, log);
}

async function cancelQuietly(
  deps: ProviderBatchDependencies,
  row: ProviderBatchRow,
  log: Logger,
): Promise<void> {
  try {
    const model = deps.models.get(row.model);
    const key = deps.providerKeys ? await deps.providerKeys.keyFor(model) : model.key;
    await model.batchApi?.cancel(row.providerBatchId as string, { key });
  } catch (error) {
    log.warn({ err: error }, 'could not cancel the failed provider batch at the provider');
  }
}
