import { sql } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';

/** A schema to store: its id is the sha256 hex of its JSON (`schemaIdOf`), computed by the caller. */
export interface NewSchema {
  readonly id: string;
  readonly content: Record<string, unknown>;
}

/** Schemas per statement: up to 64 KB each, a statement's JSON stays within tens of MB. */
const rowsPerStatement = 1_000;

/**
 * Store schemas by content: one already stored (the same id, so the same content) is left as it
 * is. Run it in the transaction of the rows that link them, so a link never names a missing row.
 * Each statement takes its rows as one JSON parameter (bound one by one, PostgreSQL's 65,535
 * parameters would cap them), read by `json_to_recordset`, not jsonb's: `content` is a json
 * column so that a schema keeps its key order, which jsonb would sort.
 */
export async function insertSchemas(
  db: DatabaseExecutor,
  rows: readonly NewSchema[],
): Promise<void> {
  const unique = new Map(rows.map((row) => [row.id, row]));
  if (unique.size === 0) return;
  const records = [...unique.values()].map((row) => ({ id: row.id, content: row.content }));
  for (let start = 0; start < records.length; start += rowsPerStatement) {
    const slice = records.slice(start, start + rowsPerStatement);
    await db.execute(sql`
      insert into schemas (id, content)
      select id, content
      from json_to_recordset(${JSON.stringify(slice)}::json) as v(id text, content json)
      on conflict (id) do nothing`);
  }
}
