import { and, eq, sql } from 'drizzle-orm';
import { answeredColumns } from './answer-columns.ts';
import { endUnfinishedSteps } from './chain-steps.ts';
import type { Database, DatabaseExecutor } from './database.ts';
import { responseColumns } from './response-columns.ts';
import { costWith, ledgerDay, type ResponseSpend, usageEntryOf } from './response-spend.ts';
import { type ResponseRow, responses } from './schema.ts';
import { addUsage } from './usage-ledger.ts';

export interface PromptResult {
  readonly response: string;
  readonly responseJson: unknown;
  readonly promptJson: unknown;
  readonly inputTokens: number | null;
  readonly outputTokens: number | null;
  readonly tokenDetails: Record<string, unknown> | null;
  readonly durationMs: number;
  readonly datetimeUtc: Date;
  readonly resolvedModel: string | null;
  /** The answer parsed as JSON, once it matched the prompt's schema (none without one). */
  readonly data?: unknown;
  /** The reasoning the model streamed apart from its answer, when it showed any. */
  readonly reasoning?: string | null | undefined;
  /** Why a fallback model answered instead of the prompt's own, when one did. */
  readonly fallbackReason?: string | null | undefined;
  /**
   * What the answer cost: stored as the row's cost and added to the usage ledger in the same
   * write, once, only when the write lands (the engine always gives it).
   */
  readonly spend?: ResponseSpend | undefined;
}

/** What a write by one attempt did: `written` is false when another attempt owns the row. */
export interface AttemptWrite {
  readonly written: boolean;
  readonly row: ResponseRow | undefined;
}

/** Store the answer once, only if this attempt still owns the running row. */
export async function completePrompt(
  db: Database,
  id: string,
  attempt: number,
  result: PromptResult,
): Promise<AttemptWrite> {
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(responses)
      .set({ ...answeredColumns(result), fallbackReason: result.fallbackReason ?? null })
      .where(ownedBy(id, attempt))
      .returning({ ...responseColumns, endedOn: ledgerDay });
    if (!ended) return { written: false, row: undefined };
    const { endedOn, ...row } = ended;
    if (result.spend) await addUsage(tx, usageEntryOf(row, endedOn, result.spend));
    return { written: true, row };
  });
}

export interface PromptFailure {
  /** The error's stable name, e.g. `ModelError`. */
  readonly errorKind: string;
  readonly error: string;
  /**
   * What the attempt's answer cost, when the model answered and the answer was refused (its
   * schema did not match): added to the row's cost and the usage ledger with this write.
   */
  readonly spend?: ResponseSpend | undefined;
}

/** The columns a final failure sets. */
export function failedWith(failure: PromptFailure) {
  return {
    status: 'failed' as const,
    errorKind: failure.errorKind,
    error: failure.error,
    ...(failure.spend ? { costUsd: costWith(failure.spend) } : {}),
    completedAt: sql`now()`,
  };
}

/** Record a final failure, only if this attempt still owns the running row. */
export async function failPrompt(
  db: Database,
  id: string,
  attempt: number,
  failure: PromptFailure,
): Promise<AttemptWrite> {
  return db.transaction(async (tx) => {
    const [ended] = await tx
      .update(responses)
      .set(failedWith(failure))
      .where(ownedBy(id, attempt))
      .returning({ ...responseColumns, endedOn: ledgerDay });
    if (!ended) return { written: false, row: undefined };
    const { endedOn, ...row } = ended;
    // A chain's step that was running fails with it.
    if (row.chainId === id) await endUnfinishedSteps(tx, id, 'failed', failure);
    if (failure.spend) await addUsage(tx, usageEntryOf(row, endedOn, failure.spend));
    return { written: true, row };
  });
}

/** The error kind of an answer that did not match its schema: it spends a schema retry. */
const schemaMismatchKind = 'SchemaMismatchError';

/**
 * After a retryable failure: back to `queued` (it will run again), keeping the attempt's error
 * as the latest one, only if this attempt still owns the row. A schema mismatch is counted
 * (`schema_mismatches`), so only mismatches spend the schema's retries.
 */
export async function requeuePrompt(
  db: Database,
  id: string,
  attempt: number,
  failure: PromptFailure,
): Promise<AttemptWrite> {
  const write = (executor: DatabaseExecutor) =>
    executor
      .update(responses)
      .set({
        status: 'queued',
        errorKind: failure.errorKind,
        error: failure.error,
        ...(failure.errorKind === schemaMismatchKind
          ? { schemaMismatches: sql`${responses.schemaMismatches} + 1` }
          : {}),
        ...(failure.spend ? { costUsd: costWith(failure.spend) } : {}),
      })
      .where(ownedBy(id, attempt))
      .returning({ ...responseColumns, endedOn: ledgerDay });
  const spend = failure.spend;
  // Only a refused answer costs anything: the usual retry stays one statement.
  const [ended] = spend
    ? await db.transaction(async (tx) => {
        const rows = await write(tx);
        if (rows[0]) await addUsage(tx, usageEntryOf(rows[0], rows[0].endedOn, spend));
        return rows;
      })
    : await write(db);
  if (!ended) return { written: false, row: undefined };
  const { endedOn: _day, ...row } = ended;
  return { written: true, row };
}

function ownedBy(id: string, attempt: number) {
  return and(
    eq(responses.id, id),
    eq(responses.status, 'running'),
    eq(responses.attempts, attempt),
  );
}
