import { and, eq, gte, sql, sum } from 'drizzle-orm';
import type { Database, DatabaseExecutor } from './database.ts';
import { usageLedger } from './tables/usage-ledger-table.ts';

/** One response's usage, added to its owner's, key's, model's and day's totals. */
export interface UsageEntry {
  /** The UTC day it ended, `YYYY-MM-DD`. */
  readonly day: string;
  readonly owner: string | null;
  readonly apiKeyId: string | null;
  readonly model: string;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/**
 * Add a response's usage to the ledger: call it in the transaction that writes the response's
 * end, so a total never counts an answer twice nor misses one.
 */
export async function addUsage(db: DatabaseExecutor, entry: UsageEntry): Promise<void> {
  await db
    .insert(usageLedger)
    .values({
      day: entry.day,
      owner: entry.owner ?? '',
      apiKeyId: entry.apiKeyId ?? '',
      model: entry.model,
      requests: 1,
      inputTokens: entry.inputTokens,
      outputTokens: entry.outputTokens,
      costUsd: entry.costUsd,
    })
    .onConflictDoUpdate({
      target: [usageLedger.owner, usageLedger.day, usageLedger.apiKeyId, usageLedger.model],
      set: {
        requests: sql`${usageLedger.requests} + 1`,
        inputTokens: sql`${usageLedger.inputTokens} + excluded.input_tokens`,
        outputTokens: sql`${usageLedger.outputTokens} + excluded.output_tokens`,
        costUsd: sql`${usageLedger.costUsd} + excluded.cost_usd`,
      },
    });
}

/** Whose spend: an owner's (every key of it) or one owner key's. */
export type SpendSubject = { readonly owner: string } | { readonly apiKeyId: string };

/** USD spent by an owner or a key on days from `sinceDay` (`YYYY-MM-DD`, UTC) on. */
export async function spendSince(
  db: Database,
  subject: SpendSubject,
  sinceDay: string,
): Promise<number> {
  const who =
    'owner' in subject
      ? eq(usageLedger.owner, subject.owner)
      : eq(usageLedger.apiKeyId, subject.apiKeyId);
  const [row] = await db
    .select({ spent: sum(usageLedger.costUsd).mapWith(Number) })
    .from(usageLedger)
    .where(and(who, gte(usageLedger.day, sinceDay)));
  return row?.spent ?? 0;
}
