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
  })
  .meta({ id: 'Model' });
export type ModelBody = z.infer<typeof modelSchema>;

export const modelListSchema = z.object({ data: z.array(modelSchema) }).meta({ id: 'ModelList' });
