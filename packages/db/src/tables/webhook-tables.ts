import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

/** The events llmq delivers to webhooks. */
export const webhookEventTypes = [
  'prompt.succeeded',
  'prompt.failed',
  'batch.completed',
  'batch.failed',
  'batch.cancelled',
] as const;
export type WebhookEventType = (typeof webhookEventTypes)[number];

/** `pending` until a receiver answered 2xx (`delivered`) or every attempt failed (`failed`). */
export const webhookDeliveryStatuses = ['pending', 'delivered', 'failed'] as const;
export type WebhookDeliveryStatus = (typeof webhookDeliveryStatuses)[number];

/**
 * One event for one webhook URL: written when its prompt or batch ended, then delivered at least
 * once (its id is the Standard Webhooks `webhook-id`, the same on every attempt).
 */
export const webhookDeliveries = pgTable(
  'webhook_deliveries',
  {
    id: text('id').primaryKey(),
    owner: text('owner'),
    eventType: text('event_type').$type<WebhookEventType>().notNull(),
    /** `prompt` or `batch`: what ended. */
    subjectKind: text('subject_kind').notNull(),
    subjectId: text('subject_id').notNull(),
    url: text('url').notNull(),
    /** The body sent, exactly: the signature covers its bytes. */
    payload: text('payload').notNull(),
    status: text('status').$type<WebhookDeliveryStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    lastStatusCode: integer('last_status_code'),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [
    index('webhook_deliveries_subject_idx').on(table.subjectId, table.id),
    index('webhook_deliveries_owner_idx').on(table.owner, table.id),
    index('webhook_deliveries_pending_idx')
      .on(table.nextAttemptAt)
      .where(sql`${table.status} = 'pending'`),
    check(
      'webhook_deliveries_status_check',
      sql`${table.status} in ('pending', 'delivered', 'failed')`,
    ),
  ],
);

/** Each attempt at a delivery: when, how long, what the receiver answered or what went wrong. */
export const webhookAttempts = pgTable(
  'webhook_attempts',
  {
    deliveryId: text('delivery_id')
      .notNull()
      .references(() => webhookDeliveries.id, { onDelete: 'cascade' }),
    attempt: integer('attempt').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull(),
    durationMs: integer('duration_ms').notNull(),
    statusCode: integer('status_code'),
    error: text('error'),
  },
  (table) => [primaryKey({ columns: [table.deliveryId, table.attempt] })],
);

export type WebhookDeliveryRow = typeof webhookDeliveries.$inferSelect;
export type WebhookAttemptRow = typeof webhookAttempts.$inferSelect;
