import { sql } from 'drizzle-orm';
import type { Database, DatabaseExecutor } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import { executeRows } from './execute-rows.ts';

/** An attachment nothing refers to: no prompt, no owner holding it, no facade file. */
const unreferenced = (graceMs: number) => sql`
  a.touched_at < ${databaseMoment(-graceMs)}
  and not exists (select 1 from prompt_attachments pa where pa.attachment_id = a.id)
  and not exists (select 1 from attachment_owners o where o.attachment_id = a.id)
  and not exists (select 1 from files f where f.attachment_id = a.id)`;

/**
 * Attachments the blob collector may remove, the longest untouched first: nothing refers to
 * them and none was stored or linked within the grace period.
 */
export async function collectableAttachmentIds(
  db: DatabaseExecutor,
  options: { readonly graceMs: number; readonly limit: number },
): Promise<string[]> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`select a.id from attachments a where ${unreferenced(options.graceMs)}
        order by a.touched_at limit ${options.limit}`,
  );
  return rows.map((row) => row.id);
}

/**
 * Remove one attachment's bytes, then its row, if it is still collectable. The row is locked
 * first, and the references and touch are checked again after the lock (a statement of its own,
 * so it sees everything committed before the lock was granted): an upload of the same bytes
 * touches the row before writing them, so it either touched first (and the check leaves the
 * bytes) or waits for this transaction to end, and then writes the bytes again. A prompt or grant
 * that links the row takes a key-share lock on it, which waits the same way. The bytes go before
 * the row: if removing them fails, the row stays and the next pass tries again.
 */
export async function collectAttachment(
  db: Database,
  id: string,
  options: {
    readonly graceMs: number;
    readonly removeBytes: (attachment: { id: string; storageKey: string }) => Promise<void>;
  },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const locked = await executeRows<{ id: string }>(
      tx,
      sql`select id from attachments where id = ${id} for update`,
    );
    if (locked.length === 0) return false;
    const [still] = await executeRows<{ id: string; storage_key: string }>(
      tx,
      sql`select a.id, a.storage_key from attachments a where a.id = ${id} and ${unreferenced(options.graceMs)}`,
    );
    if (!still) return false;
    await options.removeBytes({ id: still.id, storageKey: still.storage_key });
    await tx.execute(sql`delete from attachments where id = ${id}`);
    return true;
  });
}
