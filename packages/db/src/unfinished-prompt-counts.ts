import { count, inArray } from 'drizzle-orm';
import type { Database } from './database.ts';
import { responses } from './schema.ts';

/** Prompts not yet ended (queued or running) by model and status, for queue depth metrics. */
export async function unfinishedPromptCounts(
  db: Database,
): Promise<Array<{ model: string; status: string; count: number }>> {
  const rows = await db
    .select({ model: responses.model, status: responses.status, count: count() })
    .from(responses)
    .where(inArray(responses.status, ['queued', 'running']))
    .groupBy(responses.model, responses.status);
  return rows.map((row) => ({ ...row, count: Number(row.count) }));
}
