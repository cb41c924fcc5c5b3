import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { responses } from './schema.ts';

/** The tokens a batch's answered items used, split by how they ran. */
export interface BatchTokenTotals {
  /** Items answered through the provider's batch API. */
  readonly provider: { readonly input: number; readonly output: number };
  /** Items answered in real time (a realtime batch, or a provider batch's retried items). */
  readonly realtime: { readonly input: number; readonly output: number };
}

/** Sum the succeeded items' token counts in one statement (a batch's cost is computed from it). */
export async function batchTokenTotals(db: Database, batchId: string): Promise<BatchTokenTotals> {
  const rows = await db
    .select({
      viaProvider: isNotNull(responses.providerBatchId).as('via_provider'),
      input: sql<string>`coalesce(sum(${responses.inputTokens}), 0)`,
      output: sql<string>`coalesce(sum(${responses.outputTokens}), 0)`,
    })
    .from(responses)
    .where(and(eq(responses.batchId, batchId), eq(responses.status, 'succeeded')))
    .groupBy(isNotNull(responses.providerBatchId));
  const totals = {
    provider: { input: 0, output: 0 },
    realtime: { input: 0, output: 0 },
  };
  for (const row of rows) {
    const side = row.viaProvider ? totals.provider : totals.realtime;
    side.input = Number(row.input);
    side.output = Number(row.output);
  }
  return totals;
}
