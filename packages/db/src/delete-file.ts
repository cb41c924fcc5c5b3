import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { executeRows } from './execute-rows.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { type FileRow, files } from './schema.ts';

/**
 * Take back the owner's hold on attachments whose file rows it no longer has (uploading a file
 * granted one), where none of the owner's other files and stored prompts uses them: the condition
 * retention's `releaseUnusedGrants` applies. `removed` is a relation of the deleted files
 * (`attachment_id`, `owner`); files it names are not counted as still using their bytes.
 */
export const releaseFileHolds = (removed: ReturnType<typeof sql>) => sql`
  delete from attachment_owners o using ${removed} f
  where o.attachment_id = f.attachment_id and o.owner = coalesce(f.owner, '')
  and not exists (
    select 1 from files other where other.attachment_id = f.attachment_id
    and other.owner is not distinct from f.owner
    and other.id not in (select removed_file.id from ${removed} removed_file))
  and not exists (
    select 1 from prompt_attachments pa join responses r on r.id = pa.response_id
    where pa.attachment_id = f.attachment_id and r.owner is not distinct from f.owner)`;

/**
 * Delete a facade file's row and, in the same transaction, the owner's hold on its bytes unless
 * another file or a stored prompt of the owner's uses them: the bytes (an attachment) then go
 * with the blob collector once nothing else refers to them. Undefined when the owner has no such
 * file (or it expired: it is gone to readers already, and retention removes its row).
 */
export async function deleteFile(
  db: Database,
  id: string,
  owner: OwnerScope,
): Promise<FileRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(files)
      .where(
        and(
          eq(files.id, id),
          ownedByScope(files.owner, owner),
          or(isNull(files.expiresAt), gt(files.expiresAt, sql`now()`)),
        ),
      )
      .returning();
    if (!row) return undefined;
    await executeRows(
      tx,
      releaseFileHolds(
        sql`(select ${row.id}::text as id, ${row.attachmentId}::text as attachment_id, ${row.owner}::text as owner)`,
      ),
    );
    return row;
  });
}
