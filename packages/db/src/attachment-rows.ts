import { eq, getTableColumns, inArray, sql } from 'drizzle-orm';
import type { NewAttachment } from './create-queued-prompt.ts';
import type { DatabaseExecutor } from './database.ts';
import { type AttachmentRow, attachments } from './schema.ts';

/**
 * Record stored bytes; `created` is false when the row existed (the same bytes before). Either
 * way the row is touched: the blob collector leaves it alone for its grace period, long enough
 * for the prompt or grant that will refer to it to be written.
 */
export async function upsertAttachment(
  db: DatabaseExecutor,
  attachment: NewAttachment,
): Promise<{ row: AttachmentRow; created: boolean }> {
  const [written] = await db
    .insert(attachments)
    .values({
      id: attachment.id,
      type: attachment.type,
      size: attachment.size,
      storageKey: attachment.storageKey,
      url: attachment.url ?? null,
    })
    .onConflictDoUpdate({ target: attachments.id, set: { touchedAt: sql`now()` } })
    // xmax is 0 on a row this statement inserted, and set on one it updated.
    .returning({ ...getTableColumns(attachments), created: sql<boolean>`(xmax = 0)` });
  if (!written) throw new Error(`attachment ${attachment.id} was not recorded`);
  const { created, ...row } = written;
  return { row, created };
}

/**
 * Mark an attachment's bytes as wanted now, before they are written to (or found at) their
 * content address: a collection under way holds the row's lock, so this waits for it to end
 * (the bytes are gone then, and are written again); one that starts after sees the touch and
 * leaves the bytes. Nothing happens when there is no row yet.
 */
export async function touchAttachment(db: DatabaseExecutor, id: string): Promise<void> {
  await db.update(attachments).set({ touchedAt: sql`now()` }).where(eq(attachments.id, id));
}

/**
 * Touch attachments a prompt is about to link by id; answers those still there. A collection
 * under way holds the row's lock, so the touch waits for it to end and the row is then gone:
 * the prompt is refused (not found) rather than linked to bytes that were removed.
 */
export async function touchAttachments(
  db: DatabaseExecutor,
  ids: readonly string[],
): Promise<Set<string>> {
  const touched = new Set<string>();
  for (let start = 0; start < ids.length; start += 1_000) {
    const rows = await db
      .update(attachments)
      .set({ touchedAt: sql`now()` })
      .where(inArray(attachments.id, ids.slice(start, start + 1_000)))
      .returning({ id: attachments.id });
    for (const row of rows) touched.add(row.id);
  }
  return touched;
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
