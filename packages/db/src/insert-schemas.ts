import type { DatabaseExecutor } from './database.ts';
import { schemas } from './schema.ts';

/** A schema to store: its id is the sha256 hex of its JSON (`schemaIdOf`), computed by the caller. */
export interface NewSchema {
  readonly id: string;
  readonly content: Record<string, unknown>;
}

/**
 * Store schemas by content: one already stored (the same id, so the same content) is left as it
 * is. Run it in the transaction of the rows that link them, so a link never names a missing row.
 */
export async function insertSchemas(
  db: DatabaseExecutor,
  rows: readonly NewSchema[],
): Promise<void> {
  const unique = new Map(rows.map((row) => [row.id, row]));
  if (unique.size === 0) return;
  await db
    .insert(schemas)
    .values([...unique.values()].map((row) => ({ id: row.id, content: row.content })))
    .onConflictDoNothing();
}
