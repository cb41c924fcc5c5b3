import { and, asc, eq, inArray, isNotNull, isNull, lt, notExists, or, sql } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import {
  type BatchRow,
  batches,
  type ResponseRow,
  responses,
  type WebhookEventType,
  webhookDeliveries,
} from './schema.ts';

/** A delivery row as the outbox writes it: pending, its first attempt due now. */
export interface NewWebhookDelivery {
  readonly id: string;
  readonly owner: string | null;
  readonly eventType: WebhookEventType;
  readonly subjectKind: 'prompt' | 'batch';
  readonly subjectId: string;
  readonly url: string;
  /** The exact body text: the signature covers these bytes. */
  readonly payload: string;
}

/**
 * The ids of prompts that succeeded or failed and whose webhook delivery is not written yet,
 * oldest first. The predicate is the partial index `responses_webhook_due_idx`'s, so the planner
 * walks it (a test EXPLAINs this): a cancelled prompt reports nothing, so it is
 * never in the index and never claimed (its `webhook_queued_at` stays null).
 */
export function dueWebhookPromptsQuery(tx: DatabaseExecutor, limit: number) {
  return tx
    .select({ id: responses.id })
    .from(responses)
    .where(
      and(
        isNotNull(responses.webhookUrl),
        isNull(responses.webhookQueuedAt),
        // Literal, not bound: a generic plan of a parameterised `in` could not prove it implies
        // the index's predicate.
        sql`${responses.status} in ('succeeded', 'failed')`,
      ),
    )
    .orderBy(asc(responses.id))
    .limit(limit);
}

/**
 * Claim prompts that ended with a webhook still due (`dueWebhookPromptsQuery`): their
 * `webhook_queued_at` is set here, in the caller's transaction, and the rows come back as they
 * are now. Only a prompt not claimed by a concurrent pass comes back.
 */
export async function claimEndedWebhookPrompts(
  tx: DatabaseExecutor,
  limit: number,
): Promise<ResponseRow[]> {
  const due = dueWebhookPromptsQuery(tx, limit);
  return tx
    .update(responses)
    .set({ webhookQueuedAt: sql`now()` })
    .where(and(inArray(responses.id, due), isNull(responses.webhookQueuedAt)))
    .returning();
}

/**
 * Batches with a webhook still due that may have ended: failed or cancelled, or (not still
 * being validated) with no item queued or running. Each is read again by its counts before it
 * is claimed; the probe for unfinished items is one index lookup (`responses_batch_status_idx`).
 */
export async function endedWebhookBatchCandidates(
  tx: DatabaseExecutor,
  limit: number,
): Promise<BatchRow[]> {
  const unfinished = tx
    .select({ one: sql`1` })
    .from(responses)
    .where(
      and(eq(responses.batchId, batches.id), inArray(responses.status, ['queued', 'running'])),
    );
  return tx
    .select()
    .from(batches)
    .where(
      and(
        isNotNull(batches.webhookUrl),
        isNull(batches.webhookQueuedAt),
        or(
          inArray(batches.status, ['failed', 'cancelled']),
          and(sql`${batches.status} <> 'validating'`, notExists(unfinished)),
        ),
      ),
    )
    .orderBy(asc(batches.id))
    .limit(limit);
}

/**
 * Claim one batch's webhook: the batch as it is now, its row locked until the caller's
 * transaction ends; undefined when a concurrent pass claimed it first. A retry locks the same
 * row before it requeues items, so counts read after this claim are the batch's whole truth.
 */
export async function claimWebhookBatch(
  tx: DatabaseExecutor,
  batchId: string,
): Promise<BatchRow | undefined> {
  const [claimed] = await tx
    .update(batches)
    .set({ webhookQueuedAt: sql`now()` })
    .where(and(eq(batches.id, batchId), isNull(batches.webhookQueuedAt)))
    .returning();
  return claimed;
}

/** Undo a claim in the same transaction: the batch turned out not to have ended. */
export async function releaseWebhookBatch(tx: DatabaseExecutor, batchId: string): Promise<void> {
  await tx.update(batches).set({ webhookQueuedAt: null }).where(eq(batches.id, batchId));
}

export async function insertWebhookDeliveries(
  tx: DatabaseExecutor,
  deliveries: readonly NewWebhookDelivery[],
): Promise<void> {
  if (deliveries.length === 0) return;
  await tx.insert(webhookDeliveries).values(
    deliveries.map((delivery) => ({
      ...delivery,
      status: 'pending' as const,
      nextAttemptAt: sql`now()`,
    })),
  );
}

/**
 * Pending deliveries whose next attempt is overdue by more than `graceMs` (their job was never
 * added, or was lost): their ids come back and their next look is pushed `graceMs` later, so
 * each is handed out again once per grace period, not at every pass.
 */
export async function takeOverdueWebhookDeliveries(
  db: DatabaseExecutor,
  graceMs: number,
  limit: number,
): Promise<string[]> {
  const overdue = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(
      and(
        eq(webhookDeliveries.status, 'pending'),
        lt(webhookDeliveries.nextAttemptAt, databaseMoment(-graceMs)),
      ),
    )
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit)
    .for('update', { skipLocked: true });
  const rows = await db
    .update(webhookDeliveries)
    .set({
      nextAttemptAt: databaseMoment(graceMs),
    })
    .where(inArray(webhookDeliveries.id, overdue))
    .returning({ id: webhookDeliveries.id });
  return rows.map((row) => row.id);
}
