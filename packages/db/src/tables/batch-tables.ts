import { type BatchStatus, batchStatuses } from '@llmq/contracts';
import { sql } from 'drizzle-orm';
import { check, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt, isOneOf } from './column-helpers.ts';
import { schemas } from './schemas-table.ts';

export const batches = pgTable(
  'batches',
  {
    id: text('id').primaryKey(),
    model: text('model').notNull(),
    /** The shared part of every item: `{prompt?, system?, options?}`. */
    template: jsonb('template').$type<Record<string, unknown>>().notNull().default({}),
    status: text('status').$type<BatchStatus>().notNull(),
    total: integer('total').notNull(),
    /**
     * How many items gave a prompt of their own, for which the template's prompt was not used:
     * the batch shows it, so a template prompt that most items override is not mistaken for
     * what they asked.
     */
    itemsWithOwnPrompt: integer('items_with_own_prompt').notNull().default(0),
    error: text('error'),
    owner: text('owner'),
    /** Labels the caller gave the batch (OpenAI's `metadata`). */
    metadata: jsonb('metadata').$type<Record<string, string>>(),
    /** The schema of items that give none of their own. */
    schemaId: text('schema_id').references(() => schemas.id),
    /** The uploaded JSONL file the items came from, when created through the OpenAI facade. */
    inputFileId: text('input_file_id'),
    /** The facade endpoint its lines were requests to (`/v1/chat/completions`, `/v1/responses`). */
    endpoint: text('endpoint'),
    /**
     * `realtime` (each item a job) or `provider` (items sent to the model's provider batch API,
     * see `provider_batches`): how the batch was run, as `mode: auto` resolved it.
     */
    mode: text('mode').$type<BatchMode>().notNull().default('realtime'),
    /** The owner key that made the batch (none for admin keys and laptop mode). */
    apiKeyId: text('api_key_id'),
    /** Where `batch.*` events are delivered (the batch's own, else its key's). */
    webhookUrl: text('webhook_url'),
    /** When its end's webhook delivery was written; null while one is still due. */
    webhookQueuedAt: timestamp('webhook_queued_at', { withTimezone: true }),
    /** When the facade's output and error files stop being served (`output_expires_after`). */
    outputExpiresAt: timestamp('output_expires_at', { withTimezone: true }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  },
  (table) => [
    index('batches_owner_id_idx').on(table.owner, table.id),
    index('batches_webhook_due_idx')
      .on(table.id)
      .where(sql`${table.webhookUrl} is not null and ${table.webhookQueuedAt} is null`),
    check('batches_status_check', isOneOf(table.status, batchStatuses)),
    check('batches_mode_check', isOneOf(table.mode, batchModes)),
  ],
);

/** How a batch's items run. */
export const batchModes = ['realtime', 'provider'] as const;
export type BatchMode = (typeof batchModes)[number];

/**
 * Where a provider batch is: `submitting` until the provider has it (its id is then known),
 * `in_progress` while polled, `importing` while its results are written to the items, then
 * `ended`, `failed` (the provider refused it whole) or `cancelled`.
 */
export const providerBatchStatuses = [
  'submitting',
  'in_progress',
  'importing',
  'ended',
  'failed',
  'cancelled',
] as const;
export type ProviderBatchStatus = (typeof providerBatchStatuses)[number];

/**
 * One batch at a provider's batch API (OpenAI's Batch API, Anthropic's Message Batches): a chunk
 * of an llmq batch's items, within the provider's limits. Written before it is created at the
 * provider, so its id is the reference a restarted submitter finds it by.
 */
export const providerBatches = pgTable(
  'provider_batches',
  {
    id: text('id').primaryKey(),
    batchId: text('batch_id')
      .notNull()
      .references(() => batches.id),
    /** The provider's name for its batches (`openai`, `anthropic`). */
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    /** The provider's id of the batch, once created. */
    providerBatchId: text('provider_batch_id'),
    status: text('status').$type<ProviderBatchStatus>().notNull(),
    requestCount: integer('request_count').notNull().default(0),
    /** Why the provider refused or failed the batch whole. */
    error: text('error'),
    /**
     * The poll round that may act: a poll job of another round is stale and does nothing, so
     * however many copies of a poll job run, only one schedules the next.
     */
    pollRound: integer('poll_round').notNull().default(0),
    createdAt: createdAt(),
    nextPollAt: timestamp('next_poll_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
  },
  (table) => [
    index('provider_batches_batch_idx').on(table.batchId, table.id),
    index('provider_batches_status_idx').on(table.status, table.id),
    check('provider_batches_status_check', isOneOf(table.status, providerBatchStatuses)),
  ],
);
