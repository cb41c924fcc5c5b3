import { and, eq, sql } from 'drizzle-orm';
import { answeredColumns } from './answer-columns.ts';
import type { Database, DatabaseExecutor } from './database.ts';
import type { PromptFailure, PromptResult } from './prompt-attempts.ts';
import { responseColumns } from './response-columns.ts';
import { costWith, ledgerDay, usageEntryOf } from './response-spend.ts';
import { type ResponseRow, responses } from './schema.ts';
import { addUsage } from './usage-ledger.ts';

/**
 * Only a queued item that this provider batch still answers: an item cancelled, retried in real
 * time or already imported is left as it is, so importing the same results twice (a poller
 * killed mid-import, its job run again) writes each item once.
 */
function answeredBy(id: string, providerBatchId: string) {
  return and(
    eq(responses.id, id),
    eq(responses.status, 'queued'),
    eq(responses.providerBatchId, providerBatchId),
  );
}

/**
 * Store a provider batch's answer to one item as its one attempt, and its spend in the usage
 * ledger in the same transaction; the row, if this wrote it.
 */
export async function importProviderAnswer(
  db: Database,
  id: string,
  providerBatchId: string,
  result: PromptResult & { readonly toolCalls?: unknown },
): Promise<ResponseRow | undefined> {
  return db.transaction(async (tx) => {
    const [ended] = await writeProviderAnswer(tx, id, providerBatchId, result);
    if (!ended) return undefined;
    const { endedOn, ...row } = ended;
    if (result.spend) await addUsage(tx, usageEntryOf(row, endedOn, result.spend));
    return row;
  });
}

function writeProviderAnswer(
  db: DatabaseExecutor,
  id: string,
  providerBatchId: string,
  result: PromptResult & { readonly toolCalls?: unknown },
) {
  return db
    .update(responses)
    .set({
      ...answeredColumns(result),
      attempts: sql`${responses.attempts} + 1`,
      toolCalls: (result.toolCalls ?? null) as ResponseRow['toolCalls'],
      startedAt: sql`coalesce(${responses.startedAt}, now())`,
    })
    .where(answeredBy(id, providerBatchId))
    .returning({ ...responseColumns, endedOn: ledgerDay });
}

/**
 * Fail (or cancel) one item with the provider's reason; the row, if this wrote it. An answer
 * the item's schema refused still cost what the provider charged: its spend is counted.
 */
export async function endProviderItem(
  db: Database,
  id: string,
  providerBatchId: string,
  end: { readonly status: 'failed' | 'cancelled' } & PromptFailure,
): Promise<ResponseRow | undefined> {
  const write = (executor: DatabaseExecutor) =>
    executor
      .update(responses)
      .set({
        status: end.status,
        errorKind: end.errorKind,
        error: end.error,
        costUsd: costWith(end.spend),
        completedAt: sql`now()`,
      })
      .where(answeredBy(id, providerBatchId))
      .returning({ ...responseColumns, endedOn: ledgerDay });
  const spend = end.spend;
  if (!spend) return withoutDay((await write(db))[0]);
  return db.transaction(async (tx) => {
    const [ended] = await write(tx);
    if (ended) await addUsage(tx, usageEntryOf(ended, ended.endedOn, spend));
    return withoutDay(ended);
  });
}

function withoutDay(ended: (ResponseRow & { endedOn: string }) | undefined) {
  if (!ended) return undefined;
  const { endedOn: _day, ...row } = ended;
  return row;
}
