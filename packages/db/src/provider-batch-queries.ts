import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Database, DatabaseExecutor } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import { responseColumns } from './response-columns.ts';
import {
  type ProviderBatchRow,
  type ProviderBatchStatus,
  providerBatches,
  responses,
} from './schema.ts';

export interface NewProviderBatch {
  readonly id: string;
  readonly batchId: string;
  readonly provider: string;
  readonly model: string;
}

/**
 * A provider batch (`submitting`) holding every queued item of its llmq batch, written in the
 * batch's own transaction: from then on those items are the submitter's, never given jobs.
 */
export async function insertProviderBatch(
  db: DatabaseExecutor,
  batch: NewProviderBatch,
): Promise<void> {
  await db.insert(providerBatches).values({ ...batch, status: 'submitting' });
  await db
    .update(responses)
    .set({ providerBatchId: batch.id })
    .where(and(eq(responses.batchId, batch.batchId), eq(responses.status, 'queued')));
}

/** An llmq batch's provider batches, in the order they were made. */
export async function providerBatchesOf(
  db: Database,
  batchId: string,
): Promise<ProviderBatchRow[]> {
  return db
    .select()
    .from(providerBatches)
    .where(eq(providerBatches.batchId, batchId))
    .orderBy(asc(providerBatches.createdAt), asc(providerBatches.id));
}

export async function getProviderBatch(
  db: Database,
  id: string,
): Promise<ProviderBatchRow | undefined> {
  const [row] = await db.select().from(providerBatches).where(eq(providerBatches.id, id));
  return row;
}

export interface ProviderBatchChange {
  readonly status?: ProviderBatchStatus;
  readonly providerBatchId?: string;
  readonly requestCount?: number;
  readonly error?: string | null;
  readonly nextPollAt?: Date | null;
  readonly ended?: boolean;
}

/** Change a provider batch only from one of `from`; the updated row or undefined. */
export async function setProviderBatch(
  db: Database,
  id: string,
  from: readonly ProviderBatchStatus[],
  change: ProviderBatchChange,
): Promise<ProviderBatchRow | undefined> {
  const [row] = await db
    .update(providerBatches)
    .set({
      ...(change.status ? { status: change.status } : {}),
      ...(change.providerBatchId ? { providerBatchId: change.providerBatchId } : {}),
      ...(change.requestCount === undefined ? {} : { requestCount: change.requestCount }),
      ...(change.error === undefined ? {} : { error: change.error }),
      ...(change.nextPollAt === undefined ? {} : { nextPollAt: change.nextPollAt }),
      ...(change.ended ? { endedAt: sql`coalesce(${providerBatches.endedAt}, now())` } : {}),
    })
    .where(and(eq(providerBatches.id, id), inArray(providerBatches.status, [...from])))
    .returning();
  return row;
}

/**
 * Move a submitting provider batch's queued items after `afterIndex` to a new one (`submitting`
 * too), in one transaction: the split at the provider's limits is written before either is
 * created, so a restarted submitter finds the same chunks.
 */
export async function splitProviderBatch(
  db: Database,
  from: ProviderBatchRow,
  next: { readonly id: string; readonly afterIndex: number },
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(providerBatches).values({
      id: next.id,
      batchId: from.batchId,
      provider: from.provider,
      model: from.model,
      status: 'submitting',
    });
    await tx
      .update(responses)
      .set({ providerBatchId: next.id })
      .where(
        and(
          eq(responses.providerBatchId, from.id),
          eq(responses.status, 'queued'),
          gt(responses.batchIndex, next.afterIndex),
        ),
      );
  });
}

/**
 * Advance a provider batch's poll round from `round`, only if it is still there (compare and
 * set): of any copies of one round's poll job, one alone schedules the next.
 */
export async function advancePollRound(
  db: Database,
  id: string,
  round: number,
  nextPollAt: Date,
): Promise<boolean> {
  const rows = await db
    .update(providerBatches)
    .set({ pollRound: round + 1, nextPollAt })
    .where(
      and(
        eq(providerBatches.id, id),
        eq(providerBatches.pollRound, round),
        inArray(providerBatches.status, ['in_progress', 'importing']),
      ),
    )
    .returning({ id: providerBatches.id });
  return rows.length > 0;
}

/**
 * Provider batches not yet ended whose next step is overdue by more than `overdueByMs` on the
 * database's clock (a poll due, or a submission begun, that long ago): the reconciler makes sure
 * each has its job.
 */
export async function overdueProviderBatches(
  db: Database,
  overdueByMs: number,
): Promise<ProviderBatchRow[]> {
  return db
    .select()
    .from(providerBatches)
    .where(
      and(
        inArray(providerBatches.status, ['submitting', 'in_progress', 'importing']),
        sql`coalesce(${providerBatches.nextPollAt}, ${providerBatches.createdAt}) < ${databaseMoment(-overdueByMs)}`,
      ),
    )
    .orderBy(asc(providerBatches.id));
}

/** The queued items of a provider batch (its unanswered requests), in item order. */
export async function queuedProviderBatchItems(
  db: Database,
  providerBatchId: string,
  afterIndex: number,
  limit: number,
) {
  return db
    .select(responseColumns)
    .from(responses)
    .where(
      and(
        eq(responses.providerBatchId, providerBatchId),
        eq(responses.status, 'queued'),
        gt(responses.batchIndex, afterIndex),
      ),
    )
    .orderBy(asc(responses.batchIndex))
    .limit(limit);
}
