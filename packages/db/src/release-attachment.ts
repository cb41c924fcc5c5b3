import { and, eq, isNull, type SQL } from 'drizzle-orm';
import { unscopedHolder } from './attachment-access.ts';
import type { Database } from './database.ts';
import { attachmentOwners, attachments, promptAttachments, responses } from './schema.ts';

/** A stored prompt of the owner's that still uses the attachment. */
export interface AttachmentUser {
  readonly promptId: string;
  readonly conversationId: string | null;
  readonly batchId: string | null;
}

export type AttachmentRelease =
  | { readonly outcome: 'released' }
  | { readonly outcome: 'not-found' }
  /** Prompts of the owner's use it (a few are named): nothing was released. */
  | { readonly outcome: 'in-use'; readonly users: readonly AttachmentUser[] };

/**
 * Take an attachment away from an owner (undefined: the server without keys): the owner no
 * longer holds its bytes, and once no one holds or uses them the blob collector removes them.
 * Refused while a stored prompt of the owner's uses it, as its replay reads the bytes.
 */
export async function releaseAttachment(
  db: Database,
  id: string,
  owner: string | undefined,
): Promise<AttachmentRelease> {
  const holder = owner ?? unscopedHolder;
  return db.transaction(async (tx) => {
    const [grant] = await tx
      .select({ id: attachmentOwners.attachmentId })
      .from(attachmentOwners)
      .where(and(eq(attachmentOwners.attachmentId, id), eq(attachmentOwners.owner, holder)))
      .for('update');
    if (!grant) {
      // Without keys everything is visible: an attachment nobody holds is released already.
      if (owner !== undefined) return { outcome: 'not-found' };
      const [row] = await tx
        .select({ id: attachments.id })
        .from(attachments)
        .where(eq(attachments.id, id));
      if (!row) return { outcome: 'not-found' };
    }
    const ownerCondition: SQL =
      owner === undefined ? isNull(responses.owner) : eq(responses.owner, owner);
    const users = await tx
      .select({
        promptId: responses.id,
        conversationId: responses.conversationId,
        batchId: responses.batchId,
      })
      .from(promptAttachments)
      .innerJoin(responses, eq(responses.id, promptAttachments.responseId))
      .where(and(eq(promptAttachments.attachmentId, id), ownerCondition))
      .limit(5);
    if (users.length > 0) return { outcome: 'in-use', users };
    await tx
      .delete(attachmentOwners)
      .where(and(eq(attachmentOwners.attachmentId, id), eq(attachmentOwners.owner, holder)));
    return { outcome: 'released' };
  });
}
