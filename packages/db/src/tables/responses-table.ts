import { type PromptStatus, promptStatuses } from '@llmq/contracts';
import { type SQL, sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  check,
  doublePrecision,
  index,
  integer,
  json,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';
import { batches, providerBatches } from './batch-tables.ts';
import { createdAt, isOneOf, tsvector } from './column-helpers.ts';
import { conversations } from './conversations-table.ts';
import { schemas } from './schemas-table.ts';

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
    // Partial: batch items have no conversation, and every query of it names one.
    index('responses_conversation_idx')
      .on(table.conversationId, table.id)
      .where(sql`${table.conversationId} is not null`),
    // The batch indexes are partial: a prompt outside a batch (most) costs none of them, on its
    // insert or on either of its updates (neither is HOT: `status` is indexed), and every query
    // of them names one batch (`batch_id = …`, which implies the predicate).
    index('responses_batch_idx')
      .on(table.batchId, table.batchIndex)
      .where(sql`${table.batchId} is not null`),
    index('responses_batch_status_idx')
      .on(table.batchId, table.status)
      .where(sql`${table.batchId} is not null`),
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
    // Ended (the events are `prompt.succeeded|failed`): queued and running prompts with a
    // webhook are not walked past by every outbox pass.
    index('responses_webhook_due_idx')
      .on(table.id)
      .where(
        sql`${table.webhookUrl} is not null and ${table.webhookQueuedAt} is null and ${table.status} in ('succeeded', 'failed')`,
      ),
    // Partial: retention walks prompts outside batches by when they ended; one that has not
    // ended is not in it (its insert and claim cost it nothing).
    index('responses_retention_idx')
      .on(table.completedAt)
      .where(sql`${table.batchId} is null and ${table.completedAt} is not null`),
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
    // Partial, as the batch indexes (a prompt outside a batch has no custom id to keep unique).
    uniqueIndex('responses_batch_custom_id_unique')
      .on(table.batchId, table.customId)
      .where(sql`${table.batchId} is not null`),
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
