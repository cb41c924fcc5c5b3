import { and, count, desc, eq, gt, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type ApiKeyRow, apiKeys } from './schema.ts';

/** What an admin may set on a key and change later; null is none (no limit, never, every model). */
export type ApiKeySettings = Pick<
  ApiKeyRow,
  | 'allowedModels'
  | 'expiresAt'
  | 'webhookUrl'
  | 'budgetUsd'
  | 'budgetPeriod'
  | 'requestsPerMinute'
  | 'tokensPerMinute'
  | 'maxConcurrent'
>;

export interface NewApiKey extends Partial<ApiKeySettings> {
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

/** Change a key's name or settings (absent fields stay); the changed row, or undefined. */
export async function updateApiKey(
  db: Database,
  id: string,
  changes: Partial<ApiKeySettings & { name: string }>,
): Promise<ApiKeyRow | undefined> {
  if (Object.keys(changes).length === 0) return getApiKey(db, id);
  const [row] = await db.update(apiKeys).set(changes).where(eq(apiKeys.id, id)).returning();
  return row;
}

export async function getApiKey(db: Database, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id)).limit(1);
  return row;
}

export async function listApiKeys(db: Database): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).orderBy(desc(apiKeys.id));
}

/** Whether any key, revoked or not, has this owner. */
export async function ownerHasKeys(db: Database, owner: string): Promise<boolean> {
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(eq(apiKeys.owner, owner))
    .limit(1);
  return row !== undefined;
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

/**
 * The key with this hash if it is not revoked, expired or not: the caller tells an expired key
 * apart, to say so.
 */
export async function findUnrevokedApiKey(
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

/** Whether the key with this id exists, is not revoked and has not expired. */
export async function isApiKeyActive(db: Database, id: string): Promise<boolean> {
  const [row] = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(
      and(
        eq(apiKeys.id, id),
        isNull(apiKeys.revokedAt),
        or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, sql`now()`)),
      ),
    )
    .limit(1);
  return row !== undefined;
}

/**
 * Keys not revoked, expired ones included: a server whose owner keys have all expired still
 * needs a key (their holders get told theirs expired), it does not fall open.
 */
export async function countActiveApiKeys(db: Database): Promise<number> {
  const [row] = await db.select({ count: count() }).from(apiKeys).where(isNull(apiKeys.revokedAt));
  return Number(row?.count ?? 0);
}
