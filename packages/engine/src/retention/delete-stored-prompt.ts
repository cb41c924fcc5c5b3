import { isEndedStatus } from '@llmq/contracts';
import { deleteEndedPrompt, getPrompt, type OwnerScope, type ResponseRow } from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';

/**
 * `DELETE /v1/prompts/{id}`: delete a prompt that has ended, with its chain's later steps, its
 * tool results and attachment links, its conversation once empty, and its event log. Unlike the
 * facade's delete (deletePromptJob), a running prompt is refused rather than cancelled: llmq's
 * own API keeps the two acts apart. A batch's item, a later chain step and a turn that later
 * turns replay are refused, each naming what to delete instead.
 */
export async function deleteStoredPrompt(
  services: Pick<PromptServices, 'db' | 'events'>,
  id: string,
  owner: OwnerScope,
): Promise<ResponseRow> {
  const found = await getPrompt(services.db, id, owner);
  if (!found) throw new NotFoundError('prompt', id);
  if (found.batchId) {
    throw new ConflictError(
      `Prompt ${id} is item ${found.batchIndex ?? 0} of batch ${found.batchId}: a batch's items are deleted with their batch (DELETE /v1/batches/${found.batchId})`,
    );
  }
  if (found.chainId && found.chainId !== found.id) {
    throw new ConflictError(
      `Prompt ${id} is step ${found.chainStep ?? 1} of the chain of prompt ${found.chainId}: delete that prompt (DELETE /v1/prompts/${found.chainId}), which takes its steps with it`,
    );
  }
  if (!isEndedStatus(found.status)) {
    throw new ConflictError(
      `Prompt ${id} is ${found.status}: cancel it first (POST /v1/prompts/${id}/cancel), then delete it`,
    );
  }
  // Later turns are looked for under the conversation's lock, in the delete's transaction: a
  // turn added while this request ran is seen there.
  const deletion = await deleteEndedPrompt(services.db, id);
  if (deletion.outcome === 'later-turns') {
    throw new ConflictError(
      `Prompt ${id} has later turns in conversation ${deletion.conversationId}, which replay it: delete the conversation (DELETE /v1/conversations/${deletion.conversationId}) or its later turns first`,
    );
  }
  if (deletion.outcome === 'not-deletable') {
    throw new ConflictError(`Prompt ${id} could not be deleted: it changed meanwhile; try again`);
  }
  await services.events.reset(id);
  return deletion.prompt;
}
