import { and, desc, eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { type FileRow, files } from './schema.ts';

export async function createFile(
  db: Database,
  file: Omit<FileRow, 'createdAt' | 'owner'> & { owner: string | null },
): Promise<FileRow> {
  const [row] = await db.insert(files).values(file).returning();
  return row as FileRow;
}

export async function getFile(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<FileRow | undefined> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, id), ownedByScope(files.owner, owner)))
    .limit(1);
  return row;
}

export async function listFiles(db: Database, owner?: OwnerScope): Promise<FileRow[]> {
  return db
    .select()
    .from(files)
    .where(ownedByScope(files.owner, owner))
    .orderBy(desc(files.id))
    .limit(1_000);
}
