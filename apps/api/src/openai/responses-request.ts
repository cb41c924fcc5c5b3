import { toolNameSchema, withoutNul } from '@llmq/contracts';
import { z } from 'zod';
import { openAIMetadataSchema } from './openai-metadata.ts';

const nullish = <T extends z.ZodType>(schema: T) => schema.nullish();

const inputText = z.object({ type: z.literal('input_text'), text: z.string() }).loose();
const inputImage = z
  .object({
    type: z.literal('input_image'),
    image_url: nullish(z.string().min(1)),
    file_id: nullish(z.string().min(1)),
    detail: nullish(z.string()),
  })
  .loose();
const inputFile = z
  .object({
    type: z.literal('input_file'),
    file_data: nullish(z.string().min(1)),
    file_id: nullish(z.string().min(1)),
    file_url: nullish(z.string().min(1)),
    filename: nullish(z.string()),
  })
  .loose();
const outputText = z.object({ type: z.literal('output_text'), text: z.string() }).loose();
const refusal = z.object({ type: z.literal('refusal'), refusal: z.string() }).loose();
const contentPart = z.discriminatedUnion('type', [
  inputText,
  inputImage,
  inputFile,
  outputText,
  refusal,
]);
export type ResponsesContentPart = z.infer<typeof contentPart>;

const messageItem = z
  .object({
    type: z.literal('message'),
    role: z.enum(['user', 'assistant', 'system', 'developer']),
    content: z.union([z.string(), z.array(contentPart)]),
  })
  .loose();
const functionCallItem = z
  .object({
    type: z.literal('function_call'),
    call_id: z.string().min(1).max(256),
    name: z.string().min(1),
    arguments: z.string(),
  })
  .loose();
const functionCallOutputItem = z
  .object({
    type: z.literal('function_call_output'),
    call_id: z.string().min(1).max(256),
    output: z.union([
      z.string(),
      z.array(z.discriminatedUnion('type', [inputText, inputImage, inputFile])),
    ]),
  })
  .loose();
// A reasoning item handed back from an earlier answer: llmq replays reasoning itself, if at all.
const reasoningItem = z.object({ type: z.literal('reasoning') }).loose();

/** An input item; a message may leave out its `type` (OpenAI's "easy input message"). */
const inputItem = z.preprocess(
  (value) =>
    typeof value === 'object' && value !== null && !('type' in value) && 'role' in value
      ? { ...value, type: 'message' }
      : value,
  z.discriminatedUnion(
    'type',
    [messageItem, functionCallItem, functionCallOutputItem, reasoningItem],
    {
      error: 'only message, function_call, function_call_output and reasoning items are supported',
    },
  ),
);
export type ResponsesInputItem = z.infer<typeof inputItem>;

/**
 * A function tool. `strict` is accepted either way and not enforced: OpenAI's default is strict,
 * so refusing it would refuse most clients, and llmq checks no client tool's arguments.
 */
const functionTool = z
  .object({
    type: z.literal('function', 'only function tools are supported'),
    name: toolNameSchema,
    description: nullish(z.string()),
    parameters: nullish(z.record(z.string(), z.unknown())),
    strict: nullish(z.boolean()),
  })
  .loose();
export type ResponsesFunctionTool = z.infer<typeof functionTool>;

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({ type: z.literal('function'), name: z.string().min(1) }),
]);

const textFormat = z.discriminatedUnion('type', [
  z.object({ type: z.enum(['text', 'json_object']) }).loose(),
  z
    .object({
      type: z.literal('json_schema'),
      name: nullish(z.string()),
      description: nullish(z.string()),
      schema: z.record(z.string(), z.unknown()),
      strict: nullish(z.boolean()),
    })
    .loose(),
]);

/**
 * A `POST /responses` body as OpenAI defines it. Fields llmq cannot honour (hosted tools,
 * stored prompt templates, OpenAI's conversation objects, log probabilities) are refused;
 * fields that change nothing here (`store`, `metadata`, `user`, `include`, …) are accepted. Any
 * other field is an option of the llmq model, as in the chat facade (`delay_ms` for echo), and
 * `reasoning` given as a string (OpenAI's is an object) is the model's `reasoning` option.
 */
export const responsesRequestSchema = withoutNul(
  z
    .object({
      model: nullish(z.string().min(1)),
      input: z.union([z.string(), z.array(inputItem).min(1)]),
      instructions: nullish(z.string()),
      stream: nullish(z.boolean()),
      stream_options: nullish(z.object({ include_obfuscation: nullish(z.boolean()) }).loose()),
      background: nullish(z.boolean()),
      previous_response_id: nullish(z.string().min(1)),
      tools: nullish(z.array(functionTool).max(128)),
      tool_choice: nullish(toolChoice),
      parallel_tool_calls: nullish(z.boolean()),
      text: nullish(
        z.object({ format: nullish(textFormat), verbosity: nullish(z.string()) }).loose(),
      ),
      reasoning: nullish(
        z.union([
          z
            .object({
              effort: nullish(z.string()),
              summary: nullish(z.string()),
              generate_summary: nullish(z.string()),
            })
            .loose(),
          z.string(),
        ]),
      ),
      max_output_tokens: nullish(z.int().min(1)),
      metadata: nullish(openAIMetadataSchema),
      store: nullish(z.boolean()),
      temperature: nullish(z.number()),
      top_p: nullish(z.number()),
      user: nullish(z.string()),
      safety_identifier: nullish(z.string()),
      prompt_cache_key: nullish(z.string()),
      service_tier: nullish(z.string()),
      truncation: nullish(z.enum(['auto', 'disabled'])),
      include: nullish(z.array(z.string())),
      top_logprobs: nullish(z.literal(0, 'log probabilities are not supported')),
      max_tool_calls: nullish(z.never('max_tool_calls is not supported: llmq runs no tools here')),
      conversation: nullish(
        z.never('conversation objects are not supported: use previous_response_id'),
      ),
      prompt: nullish(z.never('stored prompt templates are not supported: send input')),
    })
    .catchall(z.unknown()),
);
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

/** The fields above: every other field of a request is an option of the model. */
export const responsesFields: ReadonlySet<string> = new Set(
  Object.keys(responsesRequestSchema.shape),
);
