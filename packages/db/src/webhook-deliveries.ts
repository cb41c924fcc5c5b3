import { and, asc, desc, eq, exists, inArray, lt, notExists, or, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import {
  type WebhookAttemptRow,
  type WebhookDeliveryRow,
  type WebhookDeliveryStatus,
  webhookAttempts,
  webhookDeliveries,
} from './schema.ts';

/** A delivery with every attempt made at it, in order. */
export interface WebhookDeliveryWithAttempts extends WebhookDeliveryRow {
  readonly attemptRows: readonly WebhookAttemptRow[];
}

/** What a job finds when it starts an attempt at a delivery. */
export type WebhookAttemptStart =
  /** Send it: `delivery.attempts` is this attempt's number, counted already. */
  | { readonly kind: 'send'; readonly delivery: WebhookDeliveryRow }
  /**
   * The round's last attempt was cut short (its worker stopped before recording an answer): it
   * is recorded as such and the delivery has failed, without another send.
   */
  | { readonly kind: 'round-closed'; readonly delivery: WebhookDeliveryRow }
  /** Delivered, failed or removed already: there is nothing to send. */
  | { readonly kind: 'nothing' };

/** The attempt row of a cut last attempt: what the listing shows for it. */
export const cutAttemptError =
  'cut short: the worker sending this attempt stopped before recording an answer (the receiver may have had it); recorded when the next worker found it';

/**
 * Start an attempt at a pending delivery: its count goes up first, so an attempt cut short by a
 * dying worker still counts against the limit.
 *
 * A round is `maxAttempts` attempts: attempt n is its round's last when n is a multiple of
 * `maxAttempts`. Beginning past a multiple is allowed only when that attempt was recorded (the
 * round failed with an answer, and `POST …/retry` reopened it: a new round). A pending delivery
 * whose count is at a multiple with no record of that attempt lost its worker during the round's
 * last attempt: the round is closed here (the attempt recorded as cut short, the delivery
 * failed) instead of starting one more, so no round exceeds `maxAttempts` sends.
 */
export async function beginWebhookAttempt(
  db: Database,
  deliveryId: string,
  busyForMs: number,
  maxAttempts: number,
): Promise<WebhookAttemptStart> {
  return db.transaction(async (tx) => {
    const recorded = tx
      .select({ one: sql`1` })
      .from(webhookAttempts)
      .where(
        and(
          eq(webhookAttempts.deliveryId, webhookDeliveries.id),
          eq(webhookAttempts.attempt, webhookDeliveries.attempts),
        ),
      );
    const [row] = await tx
      .update(webhookDeliveries)
      .set({
        attempts: sql`${webhookDeliveries.attempts} + 1`,
        // While this attempt runs, the outbox's look for lost deliveries leaves it alone.
        nextAttemptAt: databaseMoment(busyForMs),
      })
      .where(
        and(
          eq(webhookDeliveries.id, deliveryId),
          eq(webhookDeliveries.status, 'pending'),
          or(
            sql`${webhookDeliveries.attempts} % ${maxAttempts}::integer <> 0`,
            eq(webhookDeliveries.attempts, 0),
            exists(recorded),
          ),
        ),
      )
      .returning();
    if (row) return { kind: 'send', delivery: row };
    // Pending still, at a round's end with that attempt unrecorded: close the round. Asked
    // again under the row's lock, since a record or a reopen may have committed meanwhile.
    const [cut] = await tx
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.id, deliveryId),
          eq(webhookDeliveries.status, 'pending'),
          sql`${webhookDeliveries.attempts} % ${maxAttempts}::integer = 0`,
          sql`${webhookDeliveries.attempts} > 0`,
          notExists(recorded),
        ),
      )
      .for('update');
    if (!cut) return { kind: 'nothing' };
    await tx
      .insert(webhookAttempts)
      .values({
        deliveryId,
        attempt: cut.attempts,
        startedAt: sql`now()`,
        durationMs: 0,
        statusCode: null,
        error: cutAttemptError,
      })
      .onConflictDoNothing();
    const [closed] = await tx
      .update(webhookDeliveries)
      .set({
        status: 'failed',
        lastStatusCode: null,
        lastError: cutAttemptError,
        nextAttemptAt: null,
        endedAt: sql`now()`,
      })
      .where(eq(webhookDeliveries.id, deliveryId))
      .returning();
    return closed ? { kind: 'round-closed', delivery: closed } : { kind: 'nothing' };
  });
}

export interface WebhookAttemptOutcome {
  readonly deliveryId: string;
  readonly attempt: number;
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly statusCode: number | null;
  readonly error: string | null;
  /** What the delivery becomes: still pending (retried at `nextAttemptAt`), delivered, failed. */
  readonly status: WebhookDeliveryStatus;
  readonly nextAttemptAt?: Date | undefined;
}

/** Store an attempt and its delivery's new state together. */
export async function recordWebhookAttempt(
  db: Database,
  outcome: WebhookAttemptOutcome,
): Promise<void> {
  await db.transaction(async (tx) => {
    await tx
      .insert(webhookAttempts)
      .values({
        deliveryId: outcome.deliveryId,
        attempt: outcome.attempt,
        startedAt: outcome.startedAt,
        durationMs: outcome.durationMs,
        statusCode: outcome.statusCode,
        error: outcome.error,
      })
      // A worker that lost its job and a second one may both record an attempt number once.
      .onConflictDoNothing();
    await tx
      .update(webhookDeliveries)
      .set({
        status: outcome.status,
        lastStatusCode: outcome.statusCode,
        lastError: outcome.error,
        nextAttemptAt: outcome.status === 'pending' ? (outcome.nextAttemptAt ?? null) : null,
        endedAt: outcome.status === 'pending' ? null : sql`now()`,
      })
      .where(
        and(eq(webhookDeliveries.id, outcome.deliveryId), eq(webhookDeliveries.status, 'pending')),
      );
  });
}

export interface WebhookDeliveryFilter {
  readonly owner?: OwnerScope;
  readonly subjectId?: string | undefined;
  readonly status?: WebhookDeliveryStatus | undefined;
  /** Deliveries older than this id (the listing runs newest first). */
  readonly before?: string | undefined;
  readonly limit: number;
}

/** A page of deliveries, newest first, each with its attempts. */
export async function listWebhookDeliveries(
  db: Database,
  filter: WebhookDeliveryFilter,
): Promise<WebhookDeliveryWithAttempts[]> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(
      and(
        ownedByScope(webhookDeliveries.owner, filter.owner),
        filter.subjectId ? eq(webhookDeliveries.subjectId, filter.subjectId) : undefined,
        filter.status ? eq(webhookDeliveries.status, filter.status) : undefined,
        filter.before ? lt(webhookDeliveries.id, filter.before) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.id))
    .limit(filter.limit);
  return withAttempts(db, rows);
}

/** One delivery with its attempts, or undefined (also when another owner's). */
export async function getWebhookDelivery(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<WebhookDeliveryWithAttempts | undefined> {
  const rows = await db
    .select()
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.id, id), ownedByScope(webhookDeliveries.owner, owner)));
  const [delivery] = await withAttempts(db, rows);
  return delivery;
}

/**
 * Make a failed delivery pending again, for another full round of attempts; undefined when it
 * is not failed (still pending, or delivered already).
 */
export async function reopenWebhookDelivery(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<WebhookDeliveryRow | undefined> {
  const [row] = await db
    .update(webhookDeliveries)
    // Long overdue: the outbox's next pass gives it a job, as it does a delivery whose job was lost.
    .set({ status: 'pending', nextAttemptAt: new Date(0), endedAt: null })
    .where(
      and(
        eq(webhookDeliveries.id, id),
        eq(webhookDeliveries.status, 'failed'),
        ownedByScope(webhookDeliveries.owner, owner),
      ),
    )
    .returning();
  return row;
}

async function withAttempts(
  db: Database,
  rows: readonly WebhookDeliveryRow[],
): Promise<WebhookDeliveryWithAttempts[]> {
  if (rows.length === 0) return [];
  const attempts = await db
    .select()
    .from(webhookAttempts)
    .where(
      inArray(
        webhookAttempts.deliveryId,
        rows.map((row) => row.id),
      ),
    )
    .orderBy(asc(webhookAttempts.deliveryId), asc(webhookAttempts.attempt));
  const byDelivery = new Map<string, WebhookAttemptRow[]>();
  for (const attempt of attempts) {
    const list = byDelivery.get(attempt.deliveryId) ?? [];
    list.push(attempt);
    byDelivery.set(attempt.deliveryId, list);
  }
  return rows.map((row) => ({ ...row, attemptRows: byDelivery.get(row.id) ?? [] }));
}
