import type { SQL } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';

/**
 * Run raw SQL and give its rows on either driver: postgres.js answers an array of rows, PGlite
 * an object with `rows`.
 */
export async function executeRows<Row>(db: DatabaseExecutor, query: SQL | string): Promise<Row[]> {
  const result = (await db.execute(query)) as unknown;
  if (Array.isArray(result)) return result as Row[];
  return ((result as { rows?: Row[] }).rows ?? []) as Row[];
}
