import { eq, inArray } from 'drizzle-orm';
import type { NewAttachment } from './create-queued-prompt.ts';
import type { DatabaseExecutor } from './database.ts';
import { type AttachmentRow, attachments } from './schema.ts';

/** Record stored bytes; `created` is false when the row existed (the same bytes before). */
export async function upsertAttachment(
  db: DatabaseExecutor,
  attachment: NewAttachment,
): Promise<{ row: AttachmentRow; created: boolean }> {
  const [inserted] = await db
    .insert(attachments)
    .values({
      id: attachment.id,
      type: attachment.type,
      size: attachment.size,
      storageKey: attachment.storageKey,
      url: attachment.url ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (inserted) return { row: inserted, created: true };
  const existing = await getAttachment(db, attachment.id);
  if (!existing) throw new Error(`attachment ${attachment.id} vanished while being recorded`);
  return { row: existing, created: false };
}

export async function getAttachment(
  db: DatabaseExecutor,
  id: string,
): Promise<AttachmentRow | undefined> {
  const [row] = await db.select().from(attachments).where(eq(attachments.id, id)).limit(1);
  return row;
}

/** The attachment rows with these ids, by id (missing ones are absent). */
export async function getAttachments(
  db: DatabaseExecutor,
  ids: readonly string[],
): Promise<Map<string, AttachmentRow>> {
  const found = new Map<string, AttachmentRow>();
  for (let start = 0; start < ids.length; start += 1_000) {
    const rows = await db
      .select()
      .from(attachments)
      .where(inArray(attachments.id, ids.slice(start, start + 1_000)));
    for (const row of rows) found.set(row.id, row);
  }
  return found;
}
