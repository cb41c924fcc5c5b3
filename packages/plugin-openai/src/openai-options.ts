import { z } from 'zod';

export const openAIOptionsSchema = z.object({
  temperature: z
    .number()
    .min(0)
    .max(2)
    .optional()
    .describe('Sampling temperature between 0 and 2; higher is more random.'),
  max_tokens: z.int().min(1).optional().describe('Maximum number of tokens to generate.'),
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
});

export type OpenAIOptions = z.output<typeof openAIOptionsSchema>;

/** The request fields the options become; `json_object` turns into a response format. */
export function requestFieldsFromOptions(options: OpenAIOptions): Record<string, unknown> {
  const { json_object: jsonObject, ...rest } = options;
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(rest)) if (value !== undefined) fields[key] = value;
  if (jsonObject) fields.response_format = { type: 'json_object' };
  return fields;
}
