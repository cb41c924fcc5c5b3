import type { Attachment } from './attachment.ts';
import { AttachmentTypeError } from './errors.ts';

/**
 * llm's attachment rule, with its exact messages: a model with no attachment types takes none;
 * otherwise every attachment's resolved type must be one it lists.
 */
export async function validateAttachments(
  accepted: ReadonlySet<string>,
  attachments: readonly Attachment[],
  signal?: AbortSignal,
): Promise<void> {
  if (attachments.length === 0) return;
  const acceptedList = [...accepted];
  if (acceptedList.length === 0) {
    throw new AttachmentTypeError('This model does not support attachments', undefined, []);
  }
  for (const attachment of attachments) {
    const type = await attachment.resolveType(signal);
    if (!accepted.has(type)) {
      throw new AttachmentTypeError(
        `This model does not support attachments of type '${type}', only ${acceptedList.join(', ')}`,
        type,
        acceptedList,
      );
    }
  }
}
