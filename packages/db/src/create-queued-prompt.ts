import { and, eq, sql } from 'drizzle-orm';
import { grantAttachments } from './attachment-access.ts';
import type { NewToolResult } from './chain-steps.ts';
import type { Database } from './database.ts';
import { insertSchemas, type NewSchema } from './insert-schemas.ts';
import { preparedPerDatabase } from './prepared-per-database.ts';
import { insertPastTurns, type PastTurn } from './record-past-turns.ts';
import { responseColumns } from './response-columns.ts';
import {
  attachments,
  conversations,
  promptAttachments,
  type ResponseRow,
  responses,
  type StoredTool,
  toolResults,
} from './schema.ts';

export interface NewAttachment {
  readonly id: string;
  readonly type: string;
  readonly size: number;
  readonly storageKey: string;
  readonly url?: string | null | undefined;
}

export interface QueuedPromptInput {
  readonly id: string;
  readonly model: string;
  readonly prompt: string;
  readonly system?: string | null | undefined;
  readonly options: Record<string, unknown>;
  /** The conversation it belongs to; created with this name when it does not exist yet. */
  readonly conversationId: string;
  readonly conversationName?: string | null | undefined;
  /** The attachments in order; rows are added for those not stored yet. */
  readonly attachments: readonly NewAttachment[];
  readonly idempotencyKey?: string | null | undefined;
  readonly owner?: string | null | undefined;
  /** The owner key that made it (null for admin keys and without keys). */
  readonly apiKeyId?: string | null | undefined;
  /** Where its end is delivered (`prompt.succeeded|failed`), already checked. */
  readonly webhookUrl?: string | null | undefined;
  /** Turns before this one that happened elsewhere, written in the same transaction. */
  readonly pastTurns?: readonly PastTurn[] | undefined;
  /** The system prompt of the past turns (replays take it from the first). */
  readonly pastSystem?: string | null | undefined;
  /** The schema the answer must match: stored (once, by content) and linked. */
  readonly schema?: NewSchema | undefined;
  /** The tools offered (null or absent: none, and no results carried). */
  readonly tools?: readonly StoredTool[] | null | undefined;
  /** The results the prompt carries, answering the conversation's last turn's calls. */
  readonly toolResults?: readonly NewToolResult[] | undefined;
  /** Set for a prompt that runs as a chain (one with tools): how many model calls it may make. */
  readonly chainLimit?: number | undefined;
  /** Labels the caller gave the prompt. */
  readonly metadata?: Record<string, string> | undefined;
}

export interface QueuedPromptResult {
  readonly prompt: ResponseRow;
  /** False when the idempotency key named an earlier prompt, which is returned instead. */
  readonly created: boolean;
}

/**
 * Write a queued prompt, its conversation (when new) and its attachment links atomically (one
 * statement when there is nothing else to write, else one transaction). With an idempotency key already used by the same owner, nothing is written and
 * the earlier prompt is returned.
 */
export async function createQueuedPrompt(
  db: Database,
  input: QueuedPromptInput,
): Promise<QueuedPromptResult> {
  if (input.idempotencyKey) {
    const earlier = await findByIdempotencyKey(db, input.owner, input.idempotencyKey);
    if (earlier) return { prompt: earlier, created: false };
  }
  try {
    const prompt = carriesMoreThanItsRow(input)
      ? await db.transaction(async (tx) => {
          await tx.insert(conversations).values(conversationValues(input)).onConflictDoNothing();
          if (input.pastTurns && input.pastTurns.length > 0) {
            await insertPastTurns(tx, {
              conversationId: input.conversationId,
              model: input.model,
              system: input.pastSystem ?? null,
              owner: input.owner ?? null,
              turns: input.pastTurns,
            });
          }
          if (input.attachments.length > 0) {
            await tx
              .insert(attachments)
              .values(
                input.attachments.map((attachment) => ({
                  id: attachment.id,
                  type: attachment.type,
                  size: attachment.size,
                  storageKey: attachment.storageKey,
                  url: attachment.url ?? null,
                })),
              )
              .onConflictDoNothing();
          }
          if (input.schema) await insertSchemas(tx, [input.schema]);
          const [row] = await tx
            .insert(responses)
            .values(responseValues(input))
            .returning(responseColumns);
          if (input.toolResults && input.toolResults.length > 0) {
            await tx.insert(toolResults).values(
              input.toolResults.map((result) => ({
                responseId: input.id,
                ...result,
                exception: result.exception ?? null,
              })),
            );
          }
          if (input.attachments.length > 0) {
            // Using bytes in one's own prompt is a way to come to see them.
            await grantAttachments(
              tx,
              input.attachments.map((attachment) => attachment.id),
              input.owner,
            );
            await tx.insert(promptAttachments).values(
              input.attachments.map((attachment, position) => ({
                responseId: input.id,
                attachmentId: attachment.id,
                position,
              })),
            );
          }
          return row as ResponseRow;
        })
      : await insertPromptAlone(db, input);
    return { prompt, created: true };
  } catch (error) {
    // Two requests with one key raced: the loser's transaction rolled back; answer the winner.
    if (input.idempotencyKey && isUniqueViolation(error)) {
      const earlier = await findByIdempotencyKey(db, input.owner, input.idempotencyKey);
      if (earlier) return { prompt: earlier, created: false };
    }
    throw error;
  }
}

/** Whether the prompt writes rows besides its conversation and its own: then a transaction. */
function carriesMoreThanItsRow(input: QueuedPromptInput): boolean {
  return (
    (input.pastTurns?.length ?? 0) > 0 ||
    input.attachments.length > 0 ||
    input.schema !== undefined ||
    (input.toolResults?.length ?? 0) > 0
  );
}

/**
 * A prompt with nothing but its row and its conversation, in one statement: the conversation's
 * insert a data-modifying CTE of the prompt's. As atomic as the transaction, and one round trip
 * where BEGIN, two inserts and COMMIT were four, each a wait on the api's way to its 201.
 */
async function insertPromptAlone(db: Database, input: QueuedPromptInput): Promise<ResponseRow> {
  // The row's values as the transaction writes them, each placeholder named for its column.
  const values = responseValues(input);
  const [row] = await promptAloneStatement(db).execute({
    ...values,
    conversationName: conversationValues(input).name,
    options: JSON.stringify(values.options),
    tools: values.tools ? JSON.stringify(values.tools) : null,
    metadata: values.metadata ? JSON.stringify(values.metadata) : null,
    chainId: values.chainId ?? null,
    chainStep: values.chainStep ?? null,
    chainLimit: values.chainLimit ?? null,
  });
  return row as ResponseRow;
}

// Built once per database: drizzle building this insert (every column of the widest table, and
// what it returns) cost the api more per prompt than PostgreSQL running it. JSON goes in as
// text with a cast, so that an absent value is SQL null (a placeholder's JSON encoder would
// store null as JSON's `null`).
const promptAloneStatement = preparedPerDatabase((db) => {
  const placeholder = sql.placeholder;
  const conversation = db.$with('conversation_written', {}).as(
    db
      .insert(conversations)
      .values({
        id: placeholder('conversationId'),
        name: placeholder('conversationName'),
        model: placeholder('model'),
        owner: placeholder('owner'),
      })
      .onConflictDoNothing()
      .getSQL(),
  );
  return db
    .with(conversation)
    .insert(responses)
    .values({
      id: placeholder('id'),
      conversationId: placeholder('conversationId'),
      model: placeholder('model'),
      prompt: placeholder('prompt'),
      system: placeholder('system'),
      options: sql`${placeholder('options')}::jsonb`,
      status: 'queued',
      idempotencyKey: placeholder('idempotencyKey'),
      owner: placeholder('owner'),
      apiKeyId: placeholder('apiKeyId'),
      webhookUrl: placeholder('webhookUrl'),
      tools: sql`${placeholder('tools')}::json`,
      metadata: sql`${placeholder('metadata')}::jsonb`,
      chainId: placeholder('chainId'),
      chainStep: placeholder('chainStep'),
      chainLimit: placeholder('chainLimit'),
    })
    .returning(responseColumns)
    .prepare('llmq_insert_prompt_alone');
});

function conversationValues(input: QueuedPromptInput): typeof conversations.$inferInsert {
  return {
    id: input.conversationId,
    name: input.conversationName ?? null,
    model: input.model,
    owner: input.owner ?? null,
  };
}

function responseValues(input: QueuedPromptInput): typeof responses.$inferInsert {
  return {
    id: input.id,
    conversationId: input.conversationId,
    model: input.model,
    prompt: input.prompt,
    system: input.system ?? null,
    options: input.options,
    schemaId: input.schema?.id ?? null,
    status: 'queued',
    idempotencyKey: input.idempotencyKey ?? null,
    owner: input.owner ?? null,
    apiKeyId: input.apiKeyId ?? null,
    webhookUrl: input.webhookUrl ?? null,
    tools: input.tools ? [...input.tools] : null,
    metadata: input.metadata ?? null,
    ...(input.chainLimit === undefined
      ? {}
      : { chainId: input.id, chainStep: 1, chainLimit: input.chainLimit }),
  };
}

async function findByIdempotencyKey(
  db: Database,
  owner: string | null | undefined,
  key: string,
): Promise<ResponseRow | undefined> {
  const [row] = await db
    .select(responseColumns)
    .from(responses)
    .where(
      and(
        sql`coalesce(${responses.owner}, '') = ${owner ?? ''}`,
        eq(responses.idempotencyKey, key),
      ),
    )
    .limit(1);
  return row;
}

export function isUniqueViolation(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if ((current as { code?: unknown }).code === '23505') return true;
  }
  return false;
}
