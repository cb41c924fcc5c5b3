import { and, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { type FileRow, files } from './schema.ts';

/**
 * Delete a facade file's row; its bytes are an attachment, which the blob collector removes once
 * nothing else refers to it. Undefined when the owner has no such file (or it expired: it is gone
 * to readers already, and retention removes its row).
 */
export async function deleteFile(
  db: Database,
  id: string,
  owner: OwnerScope,
): Promise<FileRow | undefined> {
  const [row] = await db
    .delete(files)
    .where(
      and(
        eq(files.id, id),
        ownedByScope(files.owner, owner),
        or(isNull(files.expiresAt), gt(files.expiresAt, sql`now()`)),
      ),
    )
    .returning();
  return row;
}
