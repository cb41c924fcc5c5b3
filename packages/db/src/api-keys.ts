import { and, count, desc, eq, isNull, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type ApiKeyRow, apiKeys } from './schema.ts';

export interface NewApiKey {
  readonly id: string;
  readonly name: string;
  /** sha256 hex of the key; the key itself is never stored. */
  readonly keyHash: string;
  readonly owner: string;
}

export async function createApiKey(db: Database, key: NewApiKey): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(key).returning();
  return row as ApiKeyRow;
}

export async function listApiKeys(db: Database): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.id));
}

/** Revoke a key; the row (revoked now or before), or undefined if there is none. */
export async function revokeApiKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: sql`coalesce(${apiKeys.revokedAt}, now())` })
    .where(eq(apiKeys.id, id))
    .returning();
  return row;
}

/** The key with this hash, if it exists and is not revoked. */
export async function findActiveApiKey(
  db: Database,
  keyHash: string,
): Promise<ApiKeyRow | undefined> {
  const [row] = await db
    .select()
    .from(apiKeys)
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row;
}

/** Whether the key with this id exists and is not revoked. */
export async function isApiKeyActive(db: Database, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .limit(1);
  return row !== undefined;
}

export async function countActiveApiKeys(db: Database): Promise<number> {
  const [row] = await db.select({ count: count() }).from(apiKeys).where(isNull(apiKeys.revokedAt));
  return Number(row?.count ?? 0);
}
