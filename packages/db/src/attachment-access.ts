import { and, desc, eq, inArray, lt } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import type { OwnerScope } from './get-prompt.ts';
import { type AttachmentRow, attachmentOwners, attachments } from './schema.ts';

/**
 * Who holds the attachments uploaded or used without keys (nobody is scoped then): the empty
 * owner, which no key can have. Without it such an upload would be held by nothing, and the blob
 * collector would take it before the prompt that names it by id.
 */
export const unscopedHolder = '';

/**
 * Let an owner see attachments: after it uploaded their bytes or used them in its own prompt.
 * Knowing a hash is not enough. The grant also holds the bytes against the blob collector until
 * the owner deletes the attachment. Without an owner (no keys configured) the holder is
 * `unscopedHolder`. Answers the ids this owner could not see before.
 */
export async function grantAttachments(
  db: DatabaseExecutor,
  attachmentIds: readonly string[],
  owner: string | null | undefined,
): Promise<Set<string>> {
  if (attachmentIds.length === 0) return new Set();
  const holder = owner || unscopedHolder;
  const granted = await db
    .insert(attachmentOwners)
    .values([...new Set(attachmentIds)].map((attachmentId) => ({ attachmentId, owner: holder })))
    .onConflictDoNothing()
    .returning({ id: attachmentOwners.attachmentId });
  return new Set(granted.map((row) => row.id));
}

/** The ids, of these, that the owner may see (all of them when unscoped). */
export async function visibleAttachmentIds(
  db: DatabaseExecutor,
  attachmentIds: readonly string[],
  owner: OwnerScope,
): Promise<Set<string>> {
  if (owner === undefined || owner === null) return new Set(attachmentIds);
  if (attachmentIds.length === 0) return new Set();
  const rows = await db
    .select({ id: attachmentOwners.attachmentId })
    .from(attachmentOwners)
    .where(
      and(
        eq(attachmentOwners.owner, owner),
        inArray(attachmentOwners.attachmentId, [...attachmentIds]),
      ),
    );
  return new Set(rows.map((row) => row.id));
}

/** The attachments an owner may see, newest first, paged by id. */
export async function listAttachments(
  db: DatabaseExecutor,
  filter: { owner?: OwnerScope; cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ items: AttachmentRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const query =
    typeof filter.owner === 'string'
      ? db
          .select({ attachment: attachments })
          .from(attachmentOwners)
          .innerJoin(attachments, eq(attachments.id, attachmentOwners.attachmentId))
          .where(
            and(
              eq(attachmentOwners.owner, filter.owner),
              filter.cursor ? lt(attachments.id, filter.cursor) : undefined,
            ),
          )
      : db
          .select({ attachment: attachments })
          .from(attachments)
          .where(filter.cursor ? lt(attachments.id, filter.cursor) : undefined);
  const rows = (await query.orderBy(desc(attachments.id)).limit(limit + 1)).map(
    (row) => row.attachment,
  );
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}
