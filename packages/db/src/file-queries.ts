import { and, asc, desc, eq, gt, isNull, lt, or, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { type FileRow, files } from './schema.ts';

export async function createFile(
  db: Database,
  file: Omit<FileRow, 'createdAt' | 'owner' | 'expiresAt'> & {
    owner: string | null;
    /**
     * How long after its `created_at` the file expires: counted in the insert, on the
     * database's clock, so `expires_at` is exactly `created_at` plus this (an upload's commit
     * between a host-side reading of the time and the insert would shorten it).
     */
    expiresAfterMs?: number | undefined;
  },
): Promise<FileRow> {
  const { expiresAfterMs, ...columns } = file;
  const [row] = await db
    .insert(files)
    .values({
      ...columns,
      expiresAt: expiresAfterMs === undefined ? null : databaseMoment(expiresAfterMs),
    })
    .returning();
  return row as FileRow;
}

/** A file past its `expires_at` is gone to readers at once, before retention deletes its row. */
const notExpired = () => or(isNull(files.expiresAt), gt(files.expiresAt, sql`now()`));

export async function getFile(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<FileRow | undefined> {
  const [row] = await db
    .select()
    .from(files)
    .where(and(eq(files.id, id), ownedByScope(files.owner, owner), notExpired()))
    .limit(1);
  return row;
}

export interface FileFilter {
  readonly purpose?: string | undefined;
  /** Only files after this id in the chosen order. */
  readonly after?: string | undefined;
  readonly limit: number;
  /** By id, a ULID: `desc` is newest first. */
  readonly order: 'asc' | 'desc';
}

export async function listFiles(
  db: Database,
  owner: OwnerScope,
  filter: FileFilter,
): Promise<FileRow[]> {
  const newestFirst = filter.order === 'desc';
  return db
    .select()
    .from(files)
    .where(
      and(
        ownedByScope(files.owner, owner),
        notExpired(),
        filter.purpose ? eq(files.purpose, filter.purpose) : undefined,
        filter.after ? (newestFirst ? lt : gt)(files.id, filter.after) : undefined,
      ),
    )
    .orderBy(newestFirst ? desc(files.id) : asc(files.id))
    .limit(filter.limit);
}
