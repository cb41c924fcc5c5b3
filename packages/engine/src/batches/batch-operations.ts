import {
  type BatchRow,
  batchItemIds,
  cancelQueuedBatchItems,
  getBatch,
  type OwnerScope,
  requeueFailedBatchItems,
  setBatchStatus,
} from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import { cancelPromptJob } from '../prompts/cancel-prompt-job.ts';
import { cancelProviderBatches } from '../provider-batches/cancel-provider-batches.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { type BatchState, batchState } from './batch-state.ts';

async function batchOrNotFound(
  services: PromptServices,
  id: string,
  owner?: OwnerScope,
): Promise<BatchRow> {
  const batch = await getBatch(services.db, id, owner);
  if (!batch) throw new NotFoundError('batch', id, 'see GET /v1/batches');
  return batch;
}

/** A batch with its counts and status, as its items say. */
export async function getBatchState(
  services: PromptServices,
  id: string,
  owner?: OwnerScope,
): Promise<BatchState> {
  return batchState(services.db, await batchOrNotFound(services, id, owner));
}

/**
 * Cancel a batch: its queued items are cancelled at once (a worker that takes one of their
 * jobs skips it), running ones are aborted wherever they run, finished results are kept.
 */
export async function cancelBatch(
  services: PromptServices,
  id: string,
  owner?: OwnerScope,
): Promise<BatchState> {
  const batch = await batchOrNotFound(services, id, owner);
  const before = await batchState(services.db, batch);
  if (before.status === 'cancelled' || before.status === 'cancelling') return before;
  if (before.status === 'completed' || before.status === 'failed') {
    throw new ConflictError(`Batch ${id} has already ${before.status}: there is nothing to cancel`);
  }
  await setBatchStatus(services.db, id, ['validating', 'queued', 'running'], {
    status: 'cancelling',
    cancelledAt: true,
  });
  await cancelQueuedBatchItems(services.db, id);
  for (const promptId of await batchItemIds(services.db, id, 'running')) {
    await cancelPromptJob(services, promptId).catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }
  // Items that were taken between the two steps are cancelled the same way.
  await cancelQueuedBatchItems(services.db, id);
  // Provider-mode items are cancelled at the provider: what it answered before the cancel
  // reached it is imported by the poller, the rest end cancelled then (their rows are not
  // touched here, so no answer is overwritten). Rows still being submitted are cancelled by
  // their submitter, which looks at the batch's status before and after each create.
  if (batch.mode === 'provider') await cancelProviderBatches(services, batch);
  return batchState(services.db, (await getBatch(services.db, id)) as BatchRow);
}

/**
 * Run a batch's failed items again from scratch; the others keep their results. A provider-mode
 * batch's failed items run again in real time (they leave their provider batch).
 */
export async function retryBatch(
  services: PromptServices,
  id: string,
  owner?: OwnerScope,
): Promise<BatchState> {
  const batch = await batchOrNotFound(services, id, owner);
  const before = await batchState(services.db, batch);
  if (
    before.status === 'cancelling' ||
    before.status === 'cancelled' ||
    before.status === 'validating'
  ) {
    throw new ConflictError(
      `Batch ${id} is ${before.status}: only queued, running, completed or failed batches can be retried`,
    );
  }
  if (before.counts.failed === 0) return before;
  // The requeue and the batch's new status commit together, under the batch row's lock, so a
  // concurrent delete never sees a batch that looks ended while its items are queued again.
  const requeue = await requeueFailedBatchItems(services.db, id, owner);
  if (requeue.outcome === 'not-found') throw new NotFoundError('batch', id, 'see GET /v1/batches');
  if (requeue.outcome === 'refused') {
    throw new ConflictError(
      `Batch ${id} is ${requeue.status}: only queued, running, completed or failed batches can be retried`,
    );
  }
  const ids = requeue.itemIds;
  for (const promptId of ids) {
    await services.events.reset(promptId);
    await services.queue.removeFinished(promptId, batch.model);
  }
  await services.queue.addBulk(
    ids.map((promptId) => ({
      promptId,
      model: batch.model,
      // The gate then knows whose limits bind the items without reading their rows.
      owner: batch.owner,
      apiKeyId: batch.apiKeyId,
    })),
    'batch',
    batch.owner,
  );
  return batchState(services.db, (await getBatch(services.db, id)) as BatchRow);
}
