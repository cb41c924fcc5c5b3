import { asc, eq } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type ProviderKeyRow, providerKeys } from './schema.ts';

export interface NewProviderKey {
  readonly name: string;
  /** The key as the engine's secret box sealed it; never the key itself. */
  readonly encrypted: string;
  readonly lastFour: string;
  readonly setBy: string | null;
}

/** Store a provider key, replacing the one of that name. */
export async function putProviderKey(db: Database, key: NewProviderKey): Promise<ProviderKeyRow> {
  const values = { ...key, setAt: new Date() };
  const [row] = await db
    .insert(providerKeys)
    .values(values)
    .onConflictDoUpdate({ target: providerKeys.name, set: values })
    .returning();
  return row as ProviderKeyRow;
}

/** Remove a provider key; the removed row, or undefined when there was none. */
export async function deleteProviderKey(
  db: Database,
  name: string,
): Promise<ProviderKeyRow | undefined> {
  const [row] = await db.delete(providerKeys).where(eq(providerKeys.name, name)).returning();
  return row;
}

/** Every stored provider key, by name (sealed: only the engine's secret opens them). */
export async function listProviderKeys(db: Database): Promise<ProviderKeyRow[]> {
  return db.select().from(providerKeys).orderBy(asc(providerKeys.name));
}
