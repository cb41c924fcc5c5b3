import type { BatchStatus, PromptStatus } from '@llmq/contracts';
import { and, asc, desc, eq, gt, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { type BulkPromptInput, insertQueuedPrompts } from './insert-queued-prompts.ts';
import { insertSchemas, type NewSchema } from './insert-schemas.ts';
import { insertProviderBatch, type NewProviderBatch } from './provider-batch-queries.ts';
import { responseColumns } from './response-columns.ts';
import { type BatchMode, type BatchRow, batches, type ResponseRow, responses } from './schema.ts';

export interface NewBatch {
  readonly id: string;
  readonly model: string;
  readonly template: Record<string, unknown>;
  readonly owner?: string | null | undefined;
  /** The owner key that made it (null for admin keys and without keys). */
  readonly apiKeyId?: string | null | undefined;
  /** Where its end is delivered (`batch.completed|failed|cancelled`), already checked. */
  readonly webhookUrl?: string | null | undefined;
  /**
   * The facade's `output_expires_after`, in milliseconds: `output_expires_at` is the row's own
   * `created_at` plus this, set in the insert on the database's clock.
   */
  readonly outputExpiresAfterMs?: number | undefined;
  readonly metadata?: Record<string, string> | undefined;
  readonly inputFileId?: string | undefined;
  /** The facade endpoint the batch's lines were requests to. */
  readonly endpoint?: string | undefined;
  /** The schema of items that give none of their own. */
  readonly schemaId?: string | null | undefined;
  /** How many items gave their own prompt (the template's was not theirs). */
  readonly itemsWithOwnPrompt?: number | undefined;
  /** Every schema the batch or its items link, stored first in the same transaction. */
  readonly schemas?: readonly NewSchema[] | undefined;
  /** The items in order; each gets its batch id and index here. */
  readonly items: readonly Omit<BulkPromptInput, 'batchId' | 'batchIndex'>[];
  /** `provider`: every item goes to this provider batch (split later at the provider's limits). */
  readonly mode?: BatchMode | undefined;
  readonly providerBatch?: Omit<NewProviderBatch, 'batchId'> | undefined;
}

/**
 * Write a batch (status `validating`) and all its items in one transaction: a batch appears
 * whole or not at all.
 */
export async function createBatch(db: Database, batch: NewBatch): Promise<BatchRow> {
  return db.transaction(async (tx) => {
    await insertSchemas(tx, batch.schemas ?? []);
    const [row] = await tx
      .insert(batches)
      .values({
        id: batch.id,
        model: batch.model,
        template: batch.template,
        status: 'validating',
        total: batch.items.length,
        itemsWithOwnPrompt: batch.itemsWithOwnPrompt ?? 0,
        owner: batch.owner ?? null,
        apiKeyId: batch.apiKeyId ?? null,
        webhookUrl: batch.webhookUrl ?? null,
        outputExpiresAt:
          batch.outputExpiresAfterMs === undefined
            ? null
            : databaseMoment(batch.outputExpiresAfterMs),
        metadata: batch.metadata ?? null,
        inputFileId: batch.inputFileId ?? null,
        endpoint: batch.endpoint ?? null,
        schemaId: batch.schemaId ?? null,
        mode: batch.mode ?? 'realtime',
      })
      .returning();
    await insertQueuedPrompts(
      tx,
      batch.items.map((item, batchIndex) => ({ ...item, batchId: batch.id, batchIndex })),
    );
    // In the same transaction: a provider-mode item is never, even for a moment, a queued row
    // without a provider batch, which the reconciler would give a job.
    if (batch.providerBatch) {
      await insertProviderBatch(tx, { ...batch.providerBatch, batchId: batch.id });
    }
    return row as BatchRow;
  });
}

export async function getBatch(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<BatchRow | undefined> {
  const [row] = await db
    .select()
    .from(batches)
    .where(and(eq(batches.id, id), ownedByScope(batches.owner, owner)))
    .limit(1);
  return row;
}

export async function listBatches(
  db: Database,
  filter: { owner?: OwnerScope; cursor?: string | undefined; limit?: number | undefined } = {},
): Promise<{ items: BatchRow[]; nextCursor: string | null }> {
  const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
  const rows = await db
    .select()
    .from(batches)
    .where(
      and(
        ownedByScope(batches.owner, filter.owner),
        filter.cursor ? lt(batches.id, filter.cursor) : undefined,
      ),
    )
    .orderBy(desc(batches.id))
    .limit(limit + 1);
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? last.id : null };
}

export interface BatchStatusChange {
  readonly status: BatchStatus;
  readonly error?: string | null;
  readonly startedAt?: boolean;
  readonly completedAt?: boolean;
  readonly cancelledAt?: boolean;
}

/** Move a batch to a status, only from one of `from`; the updated row or undefined. */
export async function setBatchStatus(
  db: Database,
  id: string,
  from: readonly BatchStatus[],
  change: BatchStatusChange,
): Promise<BatchRow | undefined> {
  const [row] = await db
    .update(batches)
    .set({
      status: change.status,
      ...(change.error !== undefined ? { error: change.error } : {}),
      ...(change.startedAt ? { startedAt: sql`coalesce(${batches.startedAt}, now())` } : {}),
      ...(change.completedAt ? { completedAt: sql`coalesce(${batches.completedAt}, now())` } : {}),
      ...(change.cancelledAt ? { cancelledAt: sql`coalesce(${batches.cancelledAt}, now())` } : {}),
    })
    .where(and(eq(batches.id, id), inArray(batches.status, [...from])))
    .returning();
  return row;
}

/** A page of a batch's items in item order, after `afterIndex`; optionally of one status. */
export async function batchItemsPage(
  db: Database,
  batchId: string,
  afterIndex: number,
  limit: number,
  status?: PromptStatus,
): Promise<ResponseRow[]> {
  return db
    .select(responseColumns)
    .from(responses)
    .where(
      and(
        eq(responses.batchId, batchId),
        gt(responses.batchIndex, afterIndex),
        status ? eq(responses.status, status) : undefined,
      ),
    )
    .orderBy(asc(responses.batchIndex))
    .limit(limit);
}

/** Ids of a batch's items in a status, in item order. */
export async function batchItemIds(
  db: Database,
  batchId: string,
  status: PromptStatus,
): Promise<string[]> {
  const rows = await db
    .select({ id: responses.id })
    .from(responses)
    .where(and(eq(responses.batchId, batchId), eq(responses.status, status)))
    .orderBy(asc(responses.batchIndex));
  return rows.map((row) => row.id);
}

/**
 * Cancel every queued item of a batch at once; the ids cancelled. Items a provider batch answers
 * are left to its poller: the provider may have answered them already, and what it did not
 * answer ends cancelled when its results are imported.
 */
export async function cancelQueuedBatchItems(db: Database, batchId: string): Promise<string[]> {
  const rows = await db
    .update(responses)
    .set({ status: 'cancelled', completedAt: sql`now()` })
    .where(
      and(
        eq(responses.batchId, batchId),
        eq(responses.status, 'queued'),
        isNull(responses.providerBatchId),
      ),
    )
    .returning({ id: responses.id });
  return rows.map((row) => row.id);
}

/**
 * Batches whose acceptance did not finish (a crash while their jobs were being added), older
 * than `olderThanMs` by the database's clock (younger ones may still be being accepted).
 */
export async function batchesStillValidating(
  db: Database,
  olderThanMs: number,
): Promise<BatchRow[]> {
  return db
    .select()
    .from(batches)
    .where(
      and(eq(batches.status, 'validating'), lt(batches.createdAt, databaseMoment(-olderThanMs))),
    );
}
