import type { PromptAttachmentInput } from '@llmq/contracts';
import { type AsyncModel, type JsonSchema, UnknownModelError } from '@llmq/core';
import {
  type InlineAttachment,
  InvalidRequestError,
  PayloadTooLargeError,
  type PromptServices,
  readInlineAttachment,
  resolveAttachments,
} from '@llmq/engine';
import { BlobTypeUnknownError } from '@llmq/storage';
import { z } from 'zod';
import { type BatchEndpoint, batchEndpointOf } from './batch-endpoint.ts';
import {
  ChatMappingError,
  type ChatRequest,
  chatOptions,
  chatRequestSchema,
  chatSchema,
} from './chat-request.ts';
import { type ChatTurns, chatTurns, type FileAttachmentLookup } from './chat-turns.ts';
import { OpenAIRequestError } from './openai-error.ts';
import { chatRequestOfResponses, responsesParam } from './responses-chat-request.ts';
import { responsesRequestSchema } from './responses-request.ts';

/** One line of an OpenAI batch input file; its body is checked as its endpoint's request. */
const batchRequestSchema = z.object({
  custom_id: z.string().min(1).max(200),
  method: z.literal('POST', 'method must be POST'),
  url: z.enum(['/v1/chat/completions', '/chat/completions', '/v1/responses', '/responses'], {
    message: 'url must be /v1/chat/completions or /v1/responses: the only endpoints batches run',
  }),
  body: z.unknown(),
});

export interface BatchRequests {
  readonly model: string;
  /** llmq batch items, one per request, in file order. */
  readonly items: Record<string, unknown>[];
  /** The inline bytes the items name by id: stored by `submitBatch` once it accepts them. */
  readonly inlineAttachments: Map<string, InlineAttachment>;
}

/**
 * The requests of an uploaded batch file as llmq batch items. Everything is checked before
 * anything is created; a bad line is a 400 naming it. All requests must name one model (as
 * OpenAI requires), and a request may not carry earlier assistant turns: a batch item is one
 * prompt. Inline images and audio are decoded and typed in memory (the file was read whole
 * already), to be stored only once the batch is accepted; URLs are fetched (and stored) once
 * every line has passed those checks, each checked against the model before it is stored.
 */
export async function batchRequests(
  services: PromptServices,
  endpoint: BatchEndpoint,
  values: readonly unknown[],
  lines: readonly number[],
  fileAttachment: FileAttachmentLookup,
  owner: string | undefined,
  signal: AbortSignal | undefined,
): Promise<BatchRequests> {
  let model: AsyncModel | undefined;
  let known: Set<string> | undefined;
  const checked: Array<{
    customId: string;
    turns: ChatTurns;
    options: Record<string, unknown>;
    schema: JsonSchema | undefined;
  }> = [];
  const failure = (index: number, message: string, param: string | null = null) =>
    new OpenAIRequestError(
      400,
      `Line ${lines[index] ?? index + 1} of the input file: ${message}`,
      param,
      'invalid_batch_request',
    );
  // Every line is checked before any attachment is stored.
  for (const [index, value] of values.entries()) {
    const parsed = batchRequestSchema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const path = issue?.path.map(String).join('.');
      throw failure(index, `${path ? `${path}: ` : ''}${issue?.message}`, path || null);
    }
    const { custom_id: customId, url } = parsed.data;
    if (batchEndpointOf(url) !== endpoint) {
      throw failure(index, `url must be ${endpoint}, the batch's endpoint`, 'url');
    }
    const { chat: body, inputIndexOf } = requestBody(endpoint, parsed.data.body, (message, param) =>
      failure(index, message, param),
    );
    // A mapping error names the field as the line's endpoint names it.
    const param = (name: string) =>
      `body.${endpoint === '/v1/responses' ? responsesParam(name, inputIndexOf) : name}`;
    let lineModel: AsyncModel;
    try {
      lineModel = services.models.get(body.model);
    } catch (error) {
      if (error instanceof UnknownModelError) {
        throw failure(
          index,
          `${error.message}; GET /openai/v1/models lists the models`,
          'body.model',
        );
      }
      throw error;
    }
    if (model === undefined) {
      model = lineModel;
      known = new Set(Object.keys(model.optionsSchema.shape));
    } else if (lineModel !== model) {
      throw failure(
        index,
        `every request of a batch must name the same model (the first names ${model.modelId}, this one ${body.model})`,
        'body.model',
      );
    }
    try {
      const options = chatOptions(body, known as Set<string>);
      const turns = await chatTurns(body.messages, fileAttachment);
      if (turns.history.length > 0) {
        throw failure(
          index,
          'a batch request is one prompt: earlier assistant turns cannot be replayed here; send such chats to /chat/completions',
          param('messages'),
        );
      }
      // A batch runs prompts to their end, and llmq's batch items take no tools.
      if ((body.tools ?? []).length > 0) {
        throw failure(
          index,
          'a batch request cannot offer tools; send chats with tools to /chat/completions',
          param('tools'),
        );
      }
      checked.push({ customId, turns, options, schema: chatSchema(body) });
    } catch (error) {
      if (error instanceof ChatMappingError)
        throw failure(index, error.message, param(error.param));
      if (error instanceof UnknownModelError) {
        throw failure(index, error.message, 'body.model');
      }
      throw error;
    }
  }
  if (model === undefined) {
    throw new OpenAIRequestError(
      400,
      'The input file holds no requests: give one JSON request per line',
      'input_file_id',
    );
  }
  const inlineAttachments = new Map<string, InlineAttachment>();
  const byId: PromptAttachmentInput[][] = [];
  for (const [index, { turns }] of checked.entries()) {
    const line: PromptAttachmentInput[] = [];
    for (const input of turns.attachments) {
      if (!('content' in input)) {
        line.push(input);
        continue;
      }
      try {
        const inline = await readInlineAttachment(services, input, true);
        inlineAttachments.set(inline.id, inline);
        line.push({ id: inline.id });
      } catch (error) {
        if (isInlineRefusal(error)) throw failure(index, error.message, 'body.messages');
        throw error;
      }
    }
    byId.push(line);
  }
  const items: Record<string, unknown>[] = [];
  for (const [index, { customId, turns, options, schema }] of checked.entries()) {
    const inputs = byId[index] ?? [];
    const urls = inputs.filter((input) => 'url' in input);
    const fetched = await resolveAttachments(services, urls, {
      signal,
      owner,
      check: (pending) => (model as AsyncModel).validateAttachments(pending),
    });
    let next = 0;
    const attachments = inputs.map((input) =>
      'url' in input ? { id: fetched[next++]?.row.id as string } : input,
    );
    items.push({
      custom_id: customId,
      prompt: turns.prompt,
      ...(turns.system !== undefined ? { system: turns.system } : {}),
      ...(attachments.length > 0 ? { attachments } : {}),
      ...(Object.keys(options).length > 0 ? { options } : {}),
      // As sent: submitBatch resolves and stores each distinct schema once.
      ...(schema ? { schema } : {}),
    });
  }
  return { model: model.modelId, items, inlineAttachments };
}

/**
 * A line's body as a chat request: a chat completion as it is, a Responses request mapped as
 * `/responses` maps it. A Responses line names its model and stands alone (no
 * `previous_response_id`: a batch item is one prompt).
 */
function requestBody(
  endpoint: BatchEndpoint,
  value: unknown,
  failure: (message: string, param: string | null) => OpenAIRequestError,
): { chat: ChatRequest; inputIndexOf: readonly number[] } {
  if (endpoint === '/v1/chat/completions') {
    return {
      chat: checkedBody(chatRequestSchema, value, failure) as ChatRequest,
      inputIndexOf: [],
    };
  }
  // One parse: its result is the request (the schema strips NUL characters as it parses).
  const request = checkedBody(responsesRequestSchema, value, failure);
  if (!request.model) throw failure('body.model: give the model', 'body.model');
  if (request.previous_response_id) {
    throw failure(
      'a batch request is one prompt: previous_response_id cannot be used here; send it to /responses',
      'body.previous_response_id',
    );
  }
  try {
    return chatRequestOfResponses(request, request.model);
  } catch (error) {
    if (error instanceof ChatMappingError) {
      throw failure(error.message, `body.${responsesParam(error.param, [])}`);
    }
    throw error;
  }
}

/** A line's body parsed by its endpoint's schema; a bad one fails naming the first bad field. */
function checkedBody<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  failure: (message: string, param: string | null) => OpenAIRequestError,
): z.output<Schema> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = ['body', ...(issue?.path.map(String) ?? [])].join('.');
  throw failure(`${path}: ${issue?.message}`, path);
}

/** Why inline bytes cannot be used: said for the line, as OpenAI's batch checks do. */
function isInlineRefusal(error: unknown): error is Error {
  return (
    error instanceof PayloadTooLargeError ||
    error instanceof InvalidRequestError ||
    error instanceof BlobTypeUnknownError
  );
}
