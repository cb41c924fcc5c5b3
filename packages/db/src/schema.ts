import {
  type BatchStatus,
  batchStatuses,
  type PromptStatus,
  promptStatuses,
} from '@llmq/contracts';
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  check,
  customType,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  unique,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { limitColumns } from './tables/limit-columns.ts';
import { ownerLimits } from './tables/owner-limits-table.ts';
import { usageLedger } from './tables/usage-ledger-table.ts';
import { webhookAttempts, webhookDeliveries } from './tables/webhook-tables.ts';

/**
 * `column in ('a', 'b', …)` over a list of statuses, as SQL text: the check constraint is then
 * the contracts' own list, and its migration SQL stays what it was when the list was written
 * out here (the words are fixed identifiers, never input, so inlining them is safe).
 */
function isOneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`;
}

const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});

const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();

export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    model: text('model').notNull(),
    owner: text('owner'),
    createdAt: createdAt(),
  },
  (table) => [index('conversations_owner_id_idx').on(table.owner, table.id)],
);

/** Schemas prompts asked their answers to match, stored once by content (llm's `schemas`). */
export const schemas = pgTable('schemas', {
  /** sha256 hex of the schema's compact JSON, keys in their order (`schemaIdOf`). */
  id: text('id').primaryKey(),
  // json, not jsonb: jsonb reorders keys, and a schema's property order is what models follow.
  content: json('content').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});

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

export const responses = pgTable(
  'responses',
  {
    id: text('id').primaryKey(),
    conversationId: text('conversation_id').references(() => conversations.id),
    batchId: text('batch_id').references(() => batches.id),
    /** The item's position in its batch, from 0. */
    batchIndex: integer('batch_index'),
    customId: text('custom_id'),
    model: text('model').notNull(),
    resolvedModel: text('resolved_model'),
    /** Why a fallback model answered instead of `model` (its failures, or its context). */
    fallbackReason: text('fallback_reason'),
    prompt: text('prompt').notNull().default(''),
    system: text('system'),
    options: jsonb('options').$type<Record<string, unknown>>().notNull().default({}),
    /** The input chain the model received (roles, text, attachment ids), set when it runs. */
    promptJson: jsonb('prompt_json'),
    response: text('response'),
    responseJson: jsonb('response_json'),
    /** The schema the answer must match, if any. */
    schemaId: text('schema_id').references(() => schemas.id),
    /** The answer parsed as JSON once it matched the schema; null without a schema. */
    // json, not jsonb: the data keeps the keys in the order the model wrote them.
    data: json('data'),
    /** The reasoning the model streamed apart from its answer, when it showed any. */
    reasoning: text('reasoning'),
    status: text('status').$type<PromptStatus>().notNull().default('queued'),
    /** The stable name of the error kind (e.g. `ModelError`), when failed. */
    errorKind: text('error_kind'),
    error: text('error'),
    attempts: integer('attempts').notNull().default(0),
    /**
     * How many attempts ended with an answer that did not match the schema: only those spend
     * the schema's retries (LLMQ_SCHEMA_RETRIES), not attempts that failed otherwise (a 5xx).
     */
    schemaMismatches: integer('schema_mismatches').notNull().default(0),
    inputTokens: integer('input_tokens'),
    outputTokens: integer('output_tokens'),
    tokenDetails: jsonb('token_details').$type<Record<string, unknown>>(),
    durationMs: integer('duration_ms'),
    /** When the model started on the successful attempt. */
    datetimeUtc: timestamp('datetime_utc', { withTimezone: true }),
    createdAt: createdAt(),
    startedAt: timestamp('started_at', { withTimezone: true }),
    completedAt: timestamp('completed_at', { withTimezone: true }),
    idempotencyKey: text('idempotency_key'),
    owner: text('owner'),
    /** The owner key that made the prompt (none for admin keys and laptop mode). */
    apiKeyId: text('api_key_id'),
    /** What the answer cost at the model's prices (LLMQ_MODEL_PRICES), USD; null unpriced. */
    costUsd: doublePrecision('cost_usd'),
    /** Where `prompt.*` events are delivered (the prompt's own, else its key's). */
    webhookUrl: text('webhook_url'),
    /** When its end's webhook delivery was written; null while one is still due. */
    webhookQueuedAt: timestamp('webhook_queued_at', { withTimezone: true }),
    /** Labels the caller gave the prompt (OpenAI's `metadata`: up to 16 short pairs). */
    metadata: jsonb('metadata').$type<Record<string, string>>(),
    /**
     * The tools the model was offered (plugins' by name, clients' with their schema); null for
     * a prompt without tools. A row that carries tool results has them, if only `[]`.
     */
    // json, not jsonb, here and below: input schemas and arguments keep their keys' order.
    tools: json('tools').$type<StoredTool[]>(),
    /** The tools this model call asked for, in its order; null when it asked for none. */
    toolCalls: json('tool_calls').$type<StoredToolCall[]>(),
    /** The prompt whose chain this model call is a step of (itself for the first step). */
    chainId: text('chain_id'),
    /** The step's place in its chain, from 1 (the prompt the client made). */
    chainStep: integer('chain_step'),
    /** How many model calls the chain may make (llm's `chain_limit`); set on its first step. */
    chainLimit: integer('chain_limit'),
    /** How the chain ended, on its first step once it succeeded: what its `done` said. */
    chainEnd: json('chain_end').$type<ChainEnd>(),
    /**
     * The provider batch that answers this item (a provider-mode batch): such a `queued` row
     * has no BullMQ job; its answer is imported when the provider batch ends.
     */
    providerBatchId: text('provider_batch_id').references((): AnyPgColumn => providerBatches.id),
    search: tsvector('search').generatedAlwaysAs(
      (): SQL =>
        sql`to_tsvector('english', coalesce(${responses.prompt}, '') || ' ' || coalesce(${responses.response}, ''))`,
    ),
  },
  (table) => [
    index('responses_owner_id_idx').on(table.owner, table.id),
    index('responses_conversation_idx').on(table.conversationId, table.id),
    index('responses_batch_idx').on(table.batchId, table.batchIndex),
    index('responses_batch_status_idx').on(table.batchId, table.status),
    index('responses_model_idx').on(table.model, table.id),
    index('responses_status_idx').on(table.status, table.id),
    // Partial, as the reconciler's `unfinishedPrompts` asks (a chain's first steps, not a
    // provider batch's items): a pass walks only prompts that can have jobs, never re-reading the
    // queued items of a large provider batch that waits at its provider.
    index('responses_unfinished_idx')
      .on(table.status, table.id)
      .where(sql`${table.providerBatchId} is null and coalesce(${table.chainStep}, 1) = 1`),
    // Partial: prompts without a schema (most) cost this index nothing. The owner before the
    // id: an owner's `?schema=` listing reads its rows in id order, and "does this owner use the
    // schema" (stored-schemas' EXISTS) reads one entry, never every owner's prompts of it.
    index('responses_schema_owner_idx')
      .on(table.schemaId, table.owner, table.id)
      .where(sql`${table.schemaId} is not null`),
    index('responses_search_idx').using('gin', table.search),
    // Partial: only prompts with a webhook whose delivery is not yet written are in it.
    index('responses_webhook_due_idx')
      .on(table.id)
      .where(sql`${table.webhookUrl} is not null and ${table.webhookQueuedAt} is null`),
    // Partial: retention walks prompts outside batches by when they ended.
    index('responses_retention_idx').on(table.completedAt).where(sql`${table.batchId} is null`),
    // Partial: only the steps of chains (prompts that ran server-side tools) are in it.
    // Unique: two attempts of one chain can never both add its step n.
    uniqueIndex('responses_chain_step_unique')
      .on(table.chainId, table.chainStep)
      .where(sql`${table.chainId} is not null`),
    // One prompt per (owner, key); anonymous callers share the empty owner.
    uniqueIndex('responses_idempotency_key_unique')
      .on(sql`coalesce(${table.owner}, '')`, table.idempotencyKey)
      .where(sql`${table.idempotencyKey} is not null`),
    // Partial: only provider-mode items are in it (a provider batch's queued items are read
    // when it ends).
    index('responses_provider_batch_idx')
      .on(table.providerBatchId, table.status)
      .where(sql`${table.providerBatchId} is not null`),
    unique('responses_batch_custom_id_unique').on(table.batchId, table.customId),
    check('responses_status_check', isOneOf(table.status, promptStatuses)),
  ],
);

/** A tool a prompt offered the model, as stored with the prompt. */
export interface StoredTool {
  readonly name: string;
  readonly description?: string | undefined;
  readonly input_schema: Record<string, unknown>;
  /** Whether the workers run it (a plugin's or an MCP server's tool), else the client does. */
  readonly runs_on_server: boolean;
}

/** How a chain that succeeded ended, as its `done` event said. */
export interface ChainEnd {
  readonly finish_reason: 'stop' | 'tool_calls';
  /** The calls left for the client, when it ended for them. */
  readonly tool_calls: readonly StoredToolCall[];
  readonly steps: number;
  /** Token usage summed over the steps. */
  readonly usage: { readonly input: number | null; readonly output: number | null };
  /** The model calls' time summed. */
  readonly duration_ms: number;
}

/** A call a model made, as stored with its response. */
export interface StoredToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/**
 * The results a prompt carried to its model, each answering a call of the turn before (llm's
 * `tool_results`): a chain's workers store each before the next model call, clients send theirs
 * with the prompt. One per call: a resumed chain never runs a call whose result is here.
 */
export const toolResults = pgTable(
  'tool_results',
  {
    responseId: text('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    toolCallId: text('tool_call_id').notNull(),
    /** The answered call's place among its turn's calls, so results replay in call order. */
    position: integer('position').notNull(),
    name: text('name').notNull(),
    output: text('output').notNull(),
    /** `Class: message` of the error the tool raised, when it failed (llm's `exception`). */
    exception: text('exception'),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.responseId, table.toolCallId] })],
);

export const attachments = pgTable('attachments', {
  /** sha256 hex of the bytes: the content address. */
  id: text('id').primaryKey(),
  type: text('type').notNull(),
  size: bigint('size', { mode: 'number' }).notNull(),
  /** Where the bytes were fetched from, for URL attachments. */
  url: text('url'),
  storageKey: text('storage_key').notNull(),
  createdAt: createdAt(),
  /**
   * When its bytes were last stored or linked: the blob collector leaves attachments touched
   * lately, so an upload racing a collection never links bytes that are being removed.
   */
  touchedAt: timestamp('touched_at', { withTimezone: true }).notNull().defaultNow(),
});

export const promptAttachments = pgTable(
  'prompt_attachments',
  {
    responseId: text('response_id')
      .notNull()
      .references(() => responses.id, { onDelete: 'cascade' }),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    position: integer('position').notNull(),
  },
  (table) => [
    primaryKey({ columns: [table.responseId, table.position] }),
    index('prompt_attachments_attachment_idx').on(table.attachmentId),
  ],
);

/** Who may see an attachment: an owner that uploaded its bytes or used them in a prompt. */
export const attachmentOwners = pgTable(
  'attachment_owners',
  {
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    owner: text('owner').notNull(),
    createdAt: createdAt(),
  },
  (table) => [primaryKey({ columns: [table.owner, table.attachmentId] })],
);

/** Files uploaded through the OpenAI-compatible API (e.g. batch input JSONL); bytes are attachments. */
export const files = pgTable(
  'files',
  {
    id: text('id').primaryKey(),
    filename: text('filename').notNull(),
    purpose: text('purpose').notNull(),
    attachmentId: text('attachment_id')
      .notNull()
      .references(() => attachments.id),
    bytes: bigint('bytes', { mode: 'number' }).notNull(),
    owner: text('owner'),
    createdAt: createdAt(),
    /** When the file is removed (the facade's `expires_after`); null keeps it. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [index('files_owner_id_idx').on(table.owner, table.id)],
);

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** sha256 hex of the key; the key itself is never stored. */
    keyHash: text('key_hash').notNull().unique(),
    owner: text('owner').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** The models (ids) the key may use; null for every model. */
    allowedModels: text('allowed_models').array(),
    /** When the key stops opening the api; null never. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Where events of the key's prompts and batches go when they name no webhook. */
    webhookUrl: text('webhook_url'),
    ...limitColumns(),
  },
  (table) => [
    index('api_keys_owner_idx').on(table.owner),
    check(
      'api_keys_budget_period_check',
      sql`${table.budgetPeriod} is null or ${table.budgetPeriod} in ('day', 'week', 'month')`,
    ),
  ],
);

/**
 * Provider keys an admin stored (like `llm keys set`), by name (`openai`): encrypted with the
 * server's secret (AES-256-GCM), never stored or returned in plain text.
 */
export const providerKeys = pgTable('provider_keys', {
  name: text('name').primaryKey(),
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url, authenticated with the name (engine's secret box). */
  encrypted: text('encrypted').notNull(),
  /** The key's last four characters, so an admin can tell which key is stored. */
  lastFour: text('last_four').notNull(),
  /** Who stored it: the admin owner, or none without keys (laptop mode). */
  setBy: text('set_by'),
  setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
});

export const schema = {
  schemas,
  conversations,
  batches,
  responses,
  attachments,
  promptAttachments,
  attachmentOwners,
  files,
  apiKeys,
  providerKeys,
  toolResults,
  providerBatches,
  ownerLimits,
  usageLedger,
  webhookDeliveries,
  webhookAttempts,
};

export * from './tables/owner-limits-table.ts';
export * from './tables/usage-ledger-table.ts';
export * from './tables/webhook-tables.ts';

export type ResponseRow = typeof responses.$inferSelect;
export type ConversationRow = typeof conversations.$inferSelect;
export type AttachmentRow = typeof attachments.$inferSelect;
export type BatchRow = typeof batches.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export type ProviderKeyRow = typeof providerKeys.$inferSelect;
export type AttachmentOwnerRow = typeof attachmentOwners.$inferSelect;
export type FileRow = typeof files.$inferSelect;
export type SchemaRow = typeof schemas.$inferSelect;
export type ToolResultRow = typeof toolResults.$inferSelect;
export type ProviderBatchRow = typeof providerBatches.$inferSelect;
