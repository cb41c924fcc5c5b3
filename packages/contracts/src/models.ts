import { z } from 'zod';

export const modelSchema = z
  .object({
    id: z.string(),
    aliases: z.array(z.string()),
    can_stream: z.boolean(),
    supports_schema: z
      .boolean()
      .meta({ description: 'Whether a prompt may give a schema (structured output).' }),
    attachment_types: z.array(z.string()),
    options: z.record(z.string(), z.unknown()).meta({ description: 'The options as JSON Schema.' }),
    needs_key: z.string().nullable(),
    key_env_var: z.string().nullable(),
    available: z.boolean().meta({
      description:
        'Whether prompts for it are accepted: false for a model that needs a key the server has neither in its environment nor stored.',
    }),
    unavailable_reason: z.string().nullable().meta({
      description: 'Why it is unavailable and where its key goes; null when available.',
    }),
    default: z.boolean().meta({
      description:
        'Whether prompts and batches that name no model get this one (LLMQ_DEFAULT_MODEL).',
    }),
  })
  .meta({ id: 'Model' });
export type ModelBody = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ data: z.array(modelSchema) }).meta({ id: 'ModelList' });
