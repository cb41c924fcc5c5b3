import { z } from 'zod';
import type { AnthropicOptionName } from './anthropic-option-names.ts';

export const anthropicOptionsSchema = z.object({
  max_tokens: z
    .int()
    .min(1)
    .optional()
    .describe('The most tokens to generate, thinking included (default: the model’s, 8192).'),
  temperature: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Amount of randomness, 0 to 1 (default 1); set this or top_p, not both.'),
  top_p: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('Nucleus sampling: consider the tokens within this probability mass.'),
  top_k: z.int().min(1).optional().describe('Sample only from the K likeliest tokens.'),
  stop_sequences: z
    .union([z.string().min(1), z.array(z.string().min(1))])
    .optional()
    .describe('Text that stops generation: one sequence or a list.'),
  user_id: z
    .string()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'An opaque id of the user behind the request (metadata.user_id), for abuse detection.',
    ),
  cache: z
    .boolean()
    .optional()
    .describe(
      'Prompt caching: mark the system prompt and the last user message with cache_control, so a later prompt with the same start reads them from the cache.',
    ),
  thinking: z
    .boolean()
    .optional()
    .describe('Extended thinking: the model reasons first; the reasoning streams as reasoning.'),
  thinking_budget: z
    .int()
    .min(1024)
    .optional()
    .describe('Tokens the model may spend thinking (at least 1024; turns thinking on).'),
  tool_choice: z
    .union([
      z.enum(['auto', 'any', 'none']),
      z.strictObject({ type: z.literal('tool'), name: z.string().min(1) }),
    ])
    .optional()
    .describe(
      'Whether the model may call tools: auto (the default), any (it must call one), none, or {"type":"tool","name":…} for that one.',
    ),
});

export type AnthropicOptions = z.output<typeof anthropicOptionsSchema>;

/** The options schema of a model that accepts these options and no others. */
export function anthropicOptionsSchemaFor(
  names: readonly AnthropicOptionName[],
): z.ZodObject<Partial<typeof anthropicOptionsSchema.shape>> {
  const mask: Partial<Record<AnthropicOptionName, true>> = {};
  for (const name of names) mask[name] = true;
  return anthropicOptionsSchema.pick(mask);
}
