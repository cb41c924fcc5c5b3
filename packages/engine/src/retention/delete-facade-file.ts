import { deleteFile, type FileRow, type OwnerScope } from '@llmq/db';
import type { PromptServices } from '../services/prompt-services.ts';

/**
 * The facade's `DELETE /files/{id}`: the file row goes; its bytes (an attachment) go with the
 * next blob collection unless a prompt, an owner or another file still refers to them.
 * Undefined when the owner has no such file.
 */
export function deleteFacadeFile(
  services: Pick<PromptServices, 'db'>,
  id: string,
  owner: OwnerScope,
): Promise<FileRow | undefined> {
  return deleteFile(services.db, id, owner);
}
