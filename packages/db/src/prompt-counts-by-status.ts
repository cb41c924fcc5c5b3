import { count } from 'drizzle-orm';
import type { Database } from './database.ts';
import { responses } from './schema.ts';

/** How many prompts are in each status, across every owner (statuses with none are left out). */
export async function promptCountsByStatus(db: Database): Promise<Record<string, number>> {
  const rows = await db
    .select({ status: responses.status, count: count() })
    .from(responses)
    .groupBy(responses.status);
  return Object.fromEntries(rows.map((row) => [row.status, Number(row.count)]));
}
