import type { JsonSchema, ToolDefinition } from '@llmq/core';
import { z } from 'zod';
import { jsonSchemaResponseFormat } from './json-schema-response-format.ts';
import type { OpenAIOptionName } from './openai-option-names.ts';
import { openAITools } from './openai-tools.ts';

export const openAIOptionsSchema = z.object({
  temperature: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .describe('Sampling temperature between 0 and 2; higher is more random.'),
  max_tokens: z
    .int()
    .min(1)
    .optional()
    .describe('Maximum number of tokens to generate (older models; see max_completion_tokens).'),
  max_completion_tokens: z
    .int()
    .min(1)
    .optional()
    .describe('Maximum number of tokens to generate, reasoning tokens included.'),
  top_p: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Nucleus sampling: consider the tokens within this probability mass.'),
  frequency_penalty: z
    .number()
    .min(-2)
    .max(2)
    .optional()
    .describe('Penalise tokens by how often they already appeared (-2 to 2).'),
  presence_penalty: z
    .number()
    .min(-2)
    .max(2)
    .optional()
    .describe('Penalise tokens that already appeared at all (-2 to 2).'),
  stop: z
    .union([z.string(), z.array(z.string()).max(4)])
    .optional()
    .describe('Up to four sequences where generation stops.'),
  seed: z.int().optional().describe('Sample deterministically, where the provider supports it.'),
  json_object: z.boolean().optional().describe('Answer with a JSON object.'),
  reasoning_effort: z
    .enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max'])
    .optional()
    .describe('How much the model reasons before answering; not every model takes every value.'),
  reasoning_summary: z
    .enum(['auto', 'concise', 'detailed', 'none'])
    .optional()
    .describe(
      'The reasoning summary asked of the model (Responses API): auto (the default), concise, detailed, or none to ask for no summary, for an organisation OpenAI has not verified for summaries.',
    ),
  verbosity: z
    .enum(['low', 'medium', 'high'])
    .optional()
    .describe('How long and detailed the answer is.'),
  service_tier: z
    .enum(['auto', 'default', 'flex', 'scale', 'priority', 'fast'])
    .optional()
    .describe('The processing tier: auto, default, flex (cheaper, slower), priority, …'),
  strict_schema: z
    .boolean()
    .optional()
    .describe(
      'Send the schema in strict mode (true: refused when the schema cannot be strict) or not (false); by default strict whenever the schema allows it.',
    ),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.strictObject({
        type: z.literal('function'),
        function: z.strictObject({ name: z.string().min(1) }),
      }),
    ])
    .optional()
    .describe(
      'Whether the model may call tools: none, auto (the default), required, or {"type":"function","function":{"name":…}} for one tool.',
    ),
  parallel_tool_calls: z
    .boolean()
    .optional()
    .describe('Whether the model may call several tools in one turn (default true).'),
});

export type OpenAIOptions = z.output<typeof openAIOptionsSchema>;

/** The options schema of a model that accepts these options and no others. */
export function openAIOptionsSchemaFor(
  names: readonly OpenAIOptionName[],
): z.ZodObject<Partial<typeof openAIOptionsSchema.shape>> {
  const mask: Partial<Record<OpenAIOptionName, true>> = {};
  for (const name of names) mask[name] = true;
  return openAIOptionsSchema.pick(mask);
}

/**
 * The request fields a prompt's options, schema and tools become: `json_object` turns into JSON
 * mode, a schema into a `json_schema` response format (which JSON mode then adds nothing to),
 * strict as `strict_schema` says (neither is a field of OpenAI's request); tools into `tools`,
 * beside which `tool_choice` and `parallel_tool_calls` go as they are.
 */
export function requestFieldsFromOptions(
  options: OpenAIOptions,
  schema?: JsonSchema | undefined,
  tools: readonly ToolDefinition[] = [],
): Record<string, unknown> {
  const { json_object: jsonObject, strict_schema: strict, ...rest } = options;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) fields[key] = value;
  if (schema) fields.response_format = jsonSchemaResponseFormat(schema, strict);
  else if (jsonObject) fields.response_format = { type: 'json_object' };
  if (tools.length > 0) fields.tools = openAITools(tools);
  return fields;
}
