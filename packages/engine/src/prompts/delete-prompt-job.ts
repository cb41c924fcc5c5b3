import { isEndedStatus } from '@llmq/contracts';
import {
  deleteEndedPrompt,
  getPrompt,
  hasLaterTurn,
  type OwnerScope,
  type ResponseRow,
} from '@llmq/db';
import { ConflictError, InvalidRequestError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { cancelPromptJob } from './cancel-prompt-job.ts';

/**
 * Delete a prompt for good: one that has not ended is cancelled first; then its row goes (its
 * chain's later steps, tool results and attachment links with it, and its conversation once
 * empty) and its event log. A batch's prompt is refused: it belongs to its batch's results.
 */
export async function deletePromptJob(
  services: Pick<PromptServices, 'db' | 'queue' | 'events' | 'control'>,
  id: string,
  owner?: OwnerScope,
): Promise<ResponseRow> {
  const found = await getPrompt(services.db, id, owner);
  if (!found) throw new NotFoundError('prompt', id);
  if (found.batchId) {
    throw new InvalidRequestError(
      `Prompt ${id} is item ${found.batchIndex ?? 0} of batch ${found.batchId}: a batch's prompts are not deleted one by one`,
    );
  }
  if (found.chainId && found.chainId !== found.id) {
    throw new InvalidRequestError(
      `Prompt ${id} is step ${found.chainStep ?? 1} of the chain of prompt ${found.chainId}: delete that prompt`,
    );
  }
  // A later turn replays this one (its calls, which the later turn's results answer): deleting
  // it would leave that conversation unreplayable.
  if (found.conversationId && (await hasLaterTurn(services.db, found.conversationId, found))) {
    throw new ConflictError(
      `Prompt ${id} has later turns in conversation ${found.conversationId}, which replay it: delete those first`,
    );
  }
  if (!isEndedStatus(found.status)) {
    // One that ends meanwhile is deleted as it ended.
    await cancelPromptJob(services, id, owner).catch((error: unknown) => {
      if (!(error instanceof ConflictError)) throw error;
    });
  }
  const deletion = await deleteEndedPrompt(services.db, id);
  if (deletion.outcome === 'later-turns') {
    throw new ConflictError(
      `Prompt ${id} has later turns in conversation ${deletion.conversationId}, which replay it: delete those first`,
    );
  }
  if (deletion.outcome === 'not-deletable')
    throw new ConflictError(`Prompt ${id} could not be deleted: it changed meanwhile; try again`);
  await services.events.reset(id);
  return deletion.prompt;
}
