import {
  defaultChainLimit,
  type PromptAttachmentInput,
  type PromptToolInput,
  type SchemaInput,
  type ToolCallBody,
  type ToolResultInput,
} from '@llmq/contracts';
import { Attachment, type JsonSchema, newId } from '@llmq/core';
import {
  createQueuedPrompt,
  type Database,
  discardPastTurns,
  discardQueuedPrompt,
  findConversation,
  getConversationHistory,
  type OwnerScope,
  type PastTurn,
  type ResponseRow,
} from '@llmq/db';
import { InvalidRequestError, NotFoundError } from '../failures/service-errors.ts';
import { schemaForModel } from '../schemas/schema-for-model.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { InvalidToolResultsError } from '../tools/tool-errors.ts';
import { requireDefaultModel } from './default-model-of.ts';
import { resolveAttachments } from './resolve-attachments.ts';
import { type PreviousTurnTools, resolveTools } from './resolve-tools.ts';

/** An earlier exchange of a chat sent whole: what the user said and what the model answered. */
export interface ChatTurn {
  readonly prompt: string;
  readonly attachments: readonly PromptAttachmentInput[];
  readonly response: string;
  /** The results this turn's prompt carried, answering the calls of the turn before. */
  readonly toolResults?: readonly ToolResultInput[] | undefined;
  /** The tools the model called in its answer. */
  readonly toolCalls?: readonly ToolCallBody[] | undefined;
  /** What the model's plugin stored of the answer (its `json()`), replayed with the turn. */
  readonly providerData?: unknown;
}

export interface SubmitPromptInput {
  /** A model id or alias; omitted, the conversation's model, else the server's default. */
  readonly model?: string | undefined;
  readonly prompt?: string | undefined;
  readonly system?: string | undefined;
  readonly attachments?: readonly PromptAttachmentInput[] | undefined;
  readonly options?: Record<string, unknown> | undefined;
  /**
   * The schema the answer must match: a JSON Schema object (used as given), a stored schema's
   * id (64 lowercase hex digits), or llm's concise syntax. Resolved, compiled and stored here;
   * refused (422) for a model without `supportsSchema`.
   */
  readonly schema?: SchemaInput | JsonSchema | undefined;
  /** Wrap the schema as `{items: [<schema>, …]}` (llm's `--schema-multi`). */
  readonly schemaMulti?: boolean | undefined;
  readonly conversationId?: string | undefined;
  /** Server tools by name, client tools by definition (see `resolveTools`). */
  readonly tools?: readonly PromptToolInput[] | undefined;
  /** Answers to the client-tool calls of the conversation's last turn. */
  readonly toolResults?: readonly ToolResultInput[] | undefined;
  /** How many model calls the prompt's chain may make (llm's `chain_limit`, default 5). */
  readonly chainLimit?: number | undefined;
  /** Labels kept with the prompt (OpenAI's `metadata`). */
  readonly metadata?: Record<string, string> | undefined;
  readonly idempotencyKey?: string | undefined;
  readonly owner?: OwnerScope;
  /** The owner key that made it: its spend and limits are the key's. */
  readonly apiKeyId?: string | undefined;
  /** Where its end is delivered, already checked (the request's, else its key's). */
  readonly webhookUrl?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /**
   * Earlier turns that happened elsewhere (`submitChat`), their limits checked by the caller:
   * they start a new conversation, written in the prompt's own transaction. Their attachments
   * are resolved, checked and stored with the prompt's own.
   */
  readonly history?: readonly ChatTurn[] | undefined;
  /** Inline attachments may be as large as uploads (the OpenAI facade). */
  readonly largeInline?: boolean | undefined;
}

export interface SubmittedPrompt {
  readonly prompt: ResponseRow;
  /** False when the idempotency key named an earlier prompt (no new job). */
  readonly created: boolean;
}

/**
 * Accept a prompt: check everything that can be checked before anything is queued (the model,
 * its options, every attachment's type, the conversation and its earlier attachments), store
 * the queued row, then add its job. If the job cannot be added, the row is removed again: no
 * row without a job, no job without a row.
 */
export async function submitPrompt(
  services: PromptServices,
  input: SubmitPromptInput,
): Promise<SubmittedPrompt> {
  // A retried request gets the prompt it already made, before any check of a new prompt: its
  // model may have become unavailable since (its provider key deleted), which must not turn
  // the retry into a 422 for a prompt that exists.
  if (input.idempotencyKey) {
    const earlier = await promptOfIdempotencyKey(services.db, input.owner, input.idempotencyKey);
    if (earlier) return { prompt: earlier, created: false };
  }
  const conversation = input.conversationId
    ? await findConversation(services.db, input.conversationId, input.owner)
    : undefined;
  if (input.conversationId && !conversation) {
    throw new NotFoundError('conversation', input.conversationId, 'see GET /v1/conversations');
  }
  const model = services.models.get(
    input.model ?? conversation?.model ?? requireDefaultModel(services),
  );
  await services.providerKeys.requireAvailable(model);
  // Before anything is stored: a key's models, its and its owner's budget and limits.
  await services.subjectLimits?.admit(services.models, input, model, 'prompt');
  const options = model.parseOptions(input.options ?? {}) as Record<string, unknown>;
  const prompt = input.prompt ?? '';
  const inputs = input.attachments ?? [];
  if (!prompt && inputs.length === 0 && (input.toolResults ?? []).length === 0) {
    throw new InvalidRequestError('Give a prompt, attachments, or both: there is nothing to ask');
  }
  const { maxAttachmentsPerPrompt, maxPromptChars } = services.limits;
  if (inputs.length > maxAttachmentsPerPrompt) {
    throw new InvalidRequestError(
      `A prompt may have at most ${maxAttachmentsPerPrompt} attachments (LLMQ_MAX_ATTACHMENTS_PER_PROMPT); this one has ${inputs.length}: use a batch for many files`,
    );
  }
  for (const [field, text] of [
    ['prompt', prompt],
    ['system', input.system ?? ''],
    ...(input.toolResults ?? []).map(
      (result, index) => [`tool_results[${index}].output`, result.output] as const,
    ),
  ] as const) {
    if (text.length > maxPromptChars) {
      throw new InvalidRequestError(
        `The ${field} is ${text.length} characters long; the limit is ${maxPromptChars} (LLMQ_MAX_PROMPT_CHARS)`,
      );
    }
  }
  if (input.schemaMulti && input.schema === undefined) {
    throw new InvalidRequestError('schema_multi wraps a schema: give the schema too');
  }
  const schema =
    input.schema === undefined
      ? undefined
      : await schemaForModel(services, model, input.schema, {
          multi: input.schemaMulti,
          owner: input.owner,
        });
  let lastTurn: PreviousTurnTools | undefined;
  if (input.conversationId) {
    // Earlier turns are replayed with their attachments: the model must accept those too. The
    // same read as the run's replay (succeeded turns only), so a failed turn's image cannot
    // refuse a text-only model. Every stored turn's id is below one made now, as this
    // prompt's own will be.
    const turns = await getConversationHistory(services.db, input.conversationId, { id: newId() });
    await model.validateAttachments(
      turns.flatMap((turn) =>
        turn.attachments.map((row) => new Attachment({ id: row.id, type: row.type })),
      ),
    );
    lastTurn = turns.at(-1);
  }
  const history = input.conversationId ? [] : (input.history ?? []);
  const pastLast = history.at(-1);
  const tools = resolveTools(
    services.tools,
    model,
    input,
    lastTurn ?? (pastLast && chatTurnAsLast(pastLast)),
    input.conversationId !== undefined || pastLast !== undefined,
  );
  // The model's type check runs before any attachment (of this prompt or of the history) is
  // stored: a refused prompt writes nothing.
  const resolved = await resolveAttachments(
    services,
    [...history.flatMap((turn) => turn.attachments), ...inputs],
    {
      signal: input.signal,
      owner: input.owner,
      check: (pending) => model.validateAttachments(pending),
      largeInline: input.largeInline,
    },
  );
  const rows = resolved.map((each) => each.row);
  let taken = 0;
  const past: PastTurn[] = [];
  for (const turn of history) {
    const turnRows = rows.slice(taken, taken + turn.attachments.length);
    taken += turnRows.length;
    past.push({
      id: newId(),
      prompt: turn.prompt,
      attachments: turnRows,
      response: turn.response,
      toolCalls: turn.toolCalls,
      responseJson: turn.providerData,
      toolResults: past.length > 0 ? toolResultsOfChatTurn(turn, history[past.length - 1]) : [],
    });
  }
  const pastTurns = past.length > 0 ? past : undefined;
  const attachments = rows.slice(taken);
  const id = newId();
  // A conversation begun by this prompt, with no turns before it, takes the prompt's id: the
  // run then knows without a read that there is nothing to replay (loadPromptInput).
  const conversationId = input.conversationId ?? (pastTurns ? newId() : id);
  // Valid: only now is the request counted against requests per minute.
  await services.subjectLimits?.takeRequest(input);
  const result = await createQueuedPrompt(services.db, {
    id,
    model: model.modelId,
    prompt,
    system: input.system,
    options,
    conversationId,
    conversationName: conversationName(pastTurns?.[0]?.prompt || prompt || input.system || ''),
    attachments,
    idempotencyKey: input.idempotencyKey,
    owner: input.owner ?? null,
    apiKeyId: input.apiKeyId ?? null,
    webhookUrl: input.webhookUrl ?? null,
    pastTurns,
    pastSystem: input.system,
    schema,
    tools: tools.tools,
    toolResults: tools.toolResults,
    metadata: input.metadata,
    // Every prompt with tools runs as a chain: its server tools' calls are answered in it.
    chainLimit: tools.tools === null ? undefined : (input.chainLimit ?? defaultChainLimit),
  });
  if (!result.created) return result;
  try {
    await services.events.append(id, { type: 'status', status: 'queued', attempt: 0 });
    await services.queue.add(
      {
        promptId: id,
        model: model.modelId,
        owner: input.owner ?? null,
        apiKeyId: input.apiKeyId ?? null,
      },
      'interactive',
    );
  } catch (error) {
    await discardQueuedPrompt(services.db, id);
    if (pastTurns?.length) await discardPastTurns(services.db, conversationId);
    await services.events.reset(id).catch(() => undefined);
    throw error;
  }
  return result;
}

/** A chat's last past turn as the turn the new prompt's tool results answer (client tools). */
function chatTurnAsLast(turn: ChatTurn): PreviousTurnTools {
  return { toolCalls: turn.toolCalls ?? null, tools: [] };
}

/** The results a past chat turn carried, placed as the calls of the turn before were. */
function toolResultsOfChatTurn(turn: ChatTurn, before: ChatTurn | undefined) {
  const calls = before?.toolCalls ?? [];
  return (turn.toolResults ?? []).map((result) => {
    const position = calls.findIndex((call) => call.id === result.tool_call_id);
    const call = calls[position];
    if (!call) {
      throw new InvalidToolResultsError(
        `A tool result answers ${result.tool_call_id}, which the turn before did not call`,
      );
    }
    return {
      toolCallId: result.tool_call_id,
      position,
      name: call.name,
      output: result.output,
      exception: result.exception ?? null,
    };
  });
}

/**
 * The prompt an owner already made with this idempotency key, under the same rule as the
 * unique index (`coalesce(owner, '')`); `createQueuedPrompt` looks again in its transaction for
 * two requests racing.
 */
function promptOfIdempotencyKey(
  db: Database,
  owner: OwnerScope,
  key: string,
): Promise<ResponseRow | undefined> {
  return db.query.responses.findFirst({
    where: (responses, { and, eq, sql }) =>
      and(
        sql`coalesce(${responses.owner}, '') = ${owner ?? ''}`,
        eq(responses.idempotencyKey, key),
      ),
  });
}

/** llm's conversation name: whitespace collapsed, cut at 32 characters with an ellipsis. */
export function conversationName(text: string): string {
  const collapsed = text.replace(/\s+/g, ' ').trim();
  return collapsed.length > 32 ? `${collapsed.slice(0, 32)}…` : collapsed;
}
