import { type AttachmentUser, releaseAttachment } from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';

/** What deletes the prompt that uses an attachment: its batch, else its conversation. */
function remedy(user: AttachmentUser): string {
  if (user.batchId) return `DELETE /v1/batches/${user.batchId}`;
  if (user.conversationId) return `DELETE /v1/conversations/${user.conversationId}`;
  return `DELETE /v1/prompts/${user.promptId}`;
}

/**
 * `DELETE /v1/attachments/{id}`: the caller stops holding the attachment (it is no longer
 * listed for them, nor usable by id). Its bytes go once nobody holds or uses them (the blob
 * collector). Refused while one of the caller's stored prompts uses it, naming how to delete
 * those.
 */
export async function releaseOwnedAttachment(
  services: Pick<PromptServices, 'db'>,
  id: string,
  owner: string | undefined,
): Promise<void> {
  const release = await releaseAttachment(services.db, id, owner);
  if (release.outcome === 'not-found') throw new NotFoundError('attachment', id);
  if (release.outcome === 'in-use') {
    const remedies = [...new Set(release.users.map(remedy))];
    throw new ConflictError(
      `Attachment ${id} is used by your stored prompts (${release.users.map((user) => user.promptId).join(', ')}${release.users.length >= 5 ? ', …' : ''}), whose replays read it: delete them first (${remedies.join('; ')}), then the attachment`,
    );
  }
}
