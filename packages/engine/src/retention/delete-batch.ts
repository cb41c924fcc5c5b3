import { deleteEndedBatch, type OwnerScope } from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { resetEventLogs } from './delete-conversation.ts';

/**
 * `DELETE /v1/batches/{id}`: delete an ended batch (completed, failed or cancelled) with its
 * items, its provider batches, and the event logs of both. Answers how many items went.
 */
export async function deleteBatch(
  services: Pick<PromptServices, 'db' | 'events' | 'batchLog'>,
  id: string,
  owner: OwnerScope,
): Promise<number> {
  const deletion = await deleteEndedBatch(services.db, id, owner);
  if (deletion.outcome === 'not-found') throw new NotFoundError('batch', id);
  if (deletion.outcome === 'unfinished') {
    throw new ConflictError(
      `Batch ${id} is ${deletion.status}: cancel it first (POST /v1/batches/${id}/cancel), then delete it once it has ended`,
    );
  }
  await services.batchLog.reset(id);
  await resetEventLogs(services.events, deletion.itemIds);
  return deletion.itemIds.length;
}
