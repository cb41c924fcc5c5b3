import { deleteEndedConversation, type OwnerScope } from '@llmq/db';
import type { EventLog } from '@llmq/queue';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';

/** Forget prompts' event logs that may outlive their rows (they expire on their own too). */
export async function resetEventLogs(
  events: EventLog,
  promptIds: readonly string[],
): Promise<void> {
  for (let start = 0; start < promptIds.length; start += 500) {
    await Promise.all(promptIds.slice(start, start + 500).map((id) => events.reset(id)));
  }
}

/**
 * `DELETE /v1/conversations/{id}`: delete a conversation whose every turn has ended, with all
 * its turns and their event logs. Answers the deleted prompts' ids.
 */
export async function deleteConversation(
  services: Pick<PromptServices, 'db' | 'events'>,
  id: string,
  owner: OwnerScope,
): Promise<readonly string[]> {
  const deletion = await deleteEndedConversation(services.db, id, owner);
  if (deletion.outcome === 'not-found') throw new NotFoundError('conversation', id);
  if (deletion.outcome === 'unfinished') {
    const named = deletion.promptIds.slice(0, 5).join(', ');
    throw new ConflictError(
      `Conversation ${id} has turns that have not ended (${named}${deletion.promptIds.length > 5 ? ', …' : ''}): cancel them first (POST /v1/prompts/{id}/cancel) or wait for them to end, then delete it`,
    );
  }
  await resetEventLogs(services.events, deletion.promptIds);
  return deletion.promptIds;
}
