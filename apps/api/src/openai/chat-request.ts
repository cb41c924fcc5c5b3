import { withoutNul } from '@llmq/contracts';
import type { JsonSchema } from '@llmq/core';
import { strictModeRequirements, strictSchemaFor } from '@llmq/plugin-openai';
import { z } from 'zod';
import { ChatMappingError } from './chat-mapping-error.ts';
import { chatToolOptions, chatToolSchema, toolChoiceSchema } from './chat-tools.ts';
import { openAIMetadataSchema } from './openai-metadata.ts';

export { ChatMappingError } from './chat-mapping-error.ts';

const textPart = z.object({ type: z.literal('text'), text: z.string() });
const imagePart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string().min(1), detail: z.string().optional() }),
});
const audioPart = z.object({
  type: z.literal('input_audio'),
  input_audio: z.object({ data: z.string().min(1), format: z.enum(['wav', 'mp3']) }),
});
const filePart = z.object({
  type: z.literal('file'),
  file: z
    .object({
      file_data: z.string().min(1).optional(),
      file_id: z.string().min(1).optional(),
      filename: z.string().optional(),
    })
    .refine((file) => (file.file_data === undefined) !== (file.file_id === undefined), {
      message: 'give exactly one of file_data (a data: URL) or file_id',
    }),
});
const userPart = z.discriminatedUnion('type', [textPart, imagePart, audioPart, filePart]);
const textContent = z.union([z.string(), z.array(textPart)]);

export type UserPart = z.infer<typeof userPart>;

/**
 * A call an assistant message made, as OpenAI clients send it back: its arguments are the JSON
 * text the model wrote, parsed when the turn is mapped (`assistantToolCalls`).
 */
const assistantToolCallSchema = z.object({
  id: z.string().min(1).max(256),
  type: z.literal('function', 'only function tool calls are supported'),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});
export type AssistantToolCall = z.infer<typeof assistantToolCallSchema>;

export const chatMessageSchema = z.discriminatedUnion('role', [
  z.object({ role: z.enum(['system', 'developer']), content: textContent }),
  z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(userPart)]) }),
  z.object({
    role: z.literal('assistant'),
    content: z
      .union([
        z.string(),
        z.array(z.union([textPart, z.object({ type: z.literal('refusal'), refusal: z.string() })])),
      ])
      .nullish(),
    tool_calls: z.array(assistantToolCallSchema).nullish(),
  }),
  z.object({ role: z.literal('tool'), content: textContent, tool_call_id: z.string().min(1) }),
  // The deprecated `functions` API's messages, which had no call ids to answer.
  z.object({ role: z.literal('function') }).transform((_message, context) => {
    context.addIssue({ code: 'custom', message: 'function messages are not supported: use tools' });
    return z.NEVER;
  }),
]);
export type ChatMessage = z.infer<typeof chatMessageSchema>;

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish();

/**
 * OpenAI's response formats. A `json_schema` format's schema becomes the prompt's schema, as
 * given; its `name` is OpenAI's wrapping, accepted and not kept. Its `strict` is honoured
 * (`schemaStrictness`): the OpenAI plugin asks for strict mode whenever the schema allows it,
 * so only `strict: false` needs carrying, as the model's `strict_schema` option.
 */
const responseFormatSchema = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['text', 'json_object']) }).loose(),
  z
    .object({
      type: z.literal('json_schema'),
      json_schema: z
        .object({
          name: nullish(z.string()),
          description: nullish(z.string()),
          schema: nullish(z.record(z.string(), z.unknown())),
          strict: nullish(z.boolean()),
        })
        .loose(),
    })
    .loose(),
]);

/**
 * A Chat Completions request as OpenAI defines it. Fields OpenAI has but llmq cannot honour
 * (several choices, the deprecated functions, log probabilities) are refused rather than silently ignored; fields
 * that change nothing here (`user`, `store`, `metadata`, …) are accepted.
 */
export const chatRequestSchema = withoutNul(
  z
    .object({
      model: z.string().min(1),
      messages: z.array(chatMessageSchema).min(1),
      stream: nullish(z.boolean()),
      stream_options: nullish(z.object({ include_usage: z.boolean().optional() })),
      temperature: nullish(z.number()),
      top_p: nullish(z.number()),
      max_tokens: nullish(z.int()),
      max_completion_tokens: nullish(z.int()),
      stop: nullish(z.union([z.string(), z.array(z.string())])),
      seed: nullish(z.int()),
      frequency_penalty: nullish(z.number()),
      presence_penalty: nullish(z.number()),
      response_format: nullish(responseFormatSchema),
      n: nullish(z.literal(1, 'only n = 1 is supported')),
      tools: nullish(z.array(chatToolSchema).max(128)),
      tool_choice: nullish(toolChoiceSchema),
      functions: nullish(z.array(z.unknown()).max(0, 'functions are not supported: use tools')),
      logprobs: nullish(z.literal(false, 'log probabilities are not supported')),
      top_logprobs: nullish(z.literal(0, 'log probabilities are not supported')),
      parallel_tool_calls: nullish(z.boolean()),
      logit_bias: nullish(z.record(z.string(), z.number())),
      user: nullish(z.string()),
      store: nullish(z.boolean()),
      metadata: nullish(openAIMetadataSchema),
      service_tier: nullish(z.string()),
      reasoning_effort: nullish(z.string()),
      safety_identifier: nullish(z.string()),
      prompt_cache_key: nullish(z.string()),
      verbosity: nullish(z.string()),
      modalities: nullish(z.array(z.literal('text'))),
    })
    // Any other field is taken as an option of the llmq model (checked against its options).
    .catchall(z.unknown()),
);
export type ChatRequest = z.infer<typeof chatRequestSchema>;

/** Request fields that are not model options: the chat itself and what only OpenAI uses. */
const nonOptionFields = new Set([
  'model',
  'messages',
  'stream',
  'stream_options',
  'response_format',
  'max_tokens',
  'max_completion_tokens',
  'n',
  'tools',
  'tool_choice',
  'functions',
  'logprobs',
  'top_logprobs',
  'parallel_tool_calls',
  'user',
  'store',
  'metadata',
  'safety_identifier',
  'prompt_cache_key',
  'modalities',
]);

/** OpenAI sampling fields a model may not have: dropped when it does not, as other servers do. */
const optionalSamplingFields = new Set([
  'temperature',
  'top_p',
  'max_tokens',
  'stop',
  'seed',
  'frequency_penalty',
  'presence_penalty',
  'logit_bias',
  'reasoning_effort',
  'verbosity',
  'service_tier',
]);

/**
 * The llmq options of a request, for a model whose options are `known`: OpenAI's sampling
 * fields where the model has them, the token limit as the model takes it (below), JSON mode as
 * `json_object` (unless the request gives a schema: that is the prompt's own, `chatSchema`),
 * `tool_choice` and `parallel_tool_calls` as `chatToolOptions` says, and any other field as an option of the model (an unknown one is refused by the model's own
 * check, naming it).
 */
export function chatOptions(
  request: ChatRequest,
  known: ReadonlySet<string>,
): Record<string, unknown> {
  const options: Record<string, unknown> = {
    ...tokenLimits(request, known),
    ...chatToolOptions(request, known),
  };
  for (const [field, value] of Object.entries(request)) {
    if (value === undefined || value === null || nonOptionFields.has(field)) continue;
    if (optionalSamplingFields.has(field) && !known.has(field)) continue;
    options[field] = value;
  }
  const format = request.response_format?.type;
  if (format === 'json_object' || (format === 'json_schema' && !chatSchema(request))) {
    if (!known.has('json_object')) {
      throw new ChatMappingError(
        `Model ${request.model} cannot be asked for JSON output; leave response_format out`,
        'response_format',
      );
    }
    options.json_object = true;
  }
  if (schemaStrictness(request) === false && known.has('strict_schema')) {
    options.strict_schema = false;
  }
  return options;
}

/**
 * A `json_schema` format's explicit `strict`, undefined when not given or there is no schema.
 * `strict: true` on a schema strict mode cannot enforce is refused as OpenAI refuses it, whatever
 * the model: llmq would otherwise send the schema as a hint, not the guarantee the client asked
 * for. (OpenAI also refuses open objects; llmq closes those whose properties are all required.)
 */
function schemaStrictness(request: ChatRequest): boolean | undefined {
  const format = request.response_format;
  if (format?.type !== 'json_schema' || !format.json_schema.schema) return undefined;
  const strict = format.json_schema.strict ?? undefined;
  if (strict === true && strictSchemaFor(format.json_schema.schema) === undefined) {
    throw new ChatMappingError(
      `Invalid schema for response_format.json_schema: ${strictModeRequirements}; send strict: false to use it as a hint`,
      'response_format.json_schema.strict',
    );
  }
  return strict;
}

/**
 * The token limits as the model takes them. A model with `max_completion_tokens` (OpenAI's
 * current models) gets each field as sent, except that a reasoning model, which refuses
 * `max_tokens`, gets a lone `max_tokens` as `max_completion_tokens`, as it means the same
 * limit; a model with only `max_tokens` gets whichever was sent (`max_completion_tokens` first).
 */
function tokenLimits(request: ChatRequest, known: ReadonlySet<string>): Record<string, unknown> {
  const { max_tokens: maxTokens, max_completion_tokens: maxCompletionTokens } = request;
  const limits: Record<string, unknown> = {};
  if (known.has('max_completion_tokens')) {
    if (maxCompletionTokens != null) limits.max_completion_tokens = maxCompletionTokens;
    if (maxTokens != null) {
      if (known.has('max_tokens')) limits.max_tokens = maxTokens;
      else limits.max_completion_tokens ??= maxTokens;
    }
  } else if (known.has('max_tokens') && (maxCompletionTokens ?? maxTokens) != null) {
    limits.max_tokens = maxCompletionTokens ?? maxTokens;
  }
  return limits;
}

/** The JSON Schema of a `json_schema` response format, exactly as sent: the prompt's schema. */
export function chatSchema(request: ChatRequest): JsonSchema | undefined {
  const format = request.response_format;
  if (format?.type !== 'json_schema') return undefined;
  return format.json_schema.schema ?? undefined;
}

/** The text of a system, developer or assistant message. */
export function textOf(content: ChatMessage['content'] | null | undefined): string {
  if (content === null || content === undefined) return '';
  if (typeof content === 'string') return content;
  return content
    .map((part) => ('text' in part ? part.text : 'refusal' in part ? part.refusal : ''))
    .join('');
}
