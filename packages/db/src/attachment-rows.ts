import { eq } from 'drizzle-orm';
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
