import { sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { executeRows } from './execute-rows.ts';

/** Rows in each table of the schema: what a check that "nothing was written" compares. */
export async function countRowsByTable(db: Database): Promise<Record<string, number>> {
  const [row] = await executeRows<Record<string, string | number>>(
    db,
    sql`select (select count(*) from responses) as responses,
               (select count(*) from conversations) as conversations,
               (select count(*) from attachments) as attachments,
               (select count(*) from attachment_owners) as attachment_owners,
               (select count(*) from prompt_attachments) as prompt_attachments,
               (select count(*) from batches) as batches,
               (select count(*) from files) as files,
               (select count(*) from api_keys) as api_keys,
               (select count(*) from schemas) as schemas`,
  );
  return Object.fromEntries(
    Object.entries(row ?? {}).map(([table, count]) => [table, Number(count)]),
  );
}
