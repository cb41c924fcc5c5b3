import { z } from 'zod';

export const modelSchema = z
  .object({
    id: z.string(),
    aliases: z.array(z.string()),
    can_stream: z.boolean(),
    supports_schema: z
      .boolean()
      .meta({ description: 'Whether a prompt may give a schema (structured output).' }),
    supports_tools: z
      .boolean()
      .meta({ description: 'Whether a prompt may give tools for the model to call.' }),
    attachment_types: z.array(z.string()),
    options: z.record(z.string(), z.unknown()).meta({ description: 'The options as JSON Schema.' }),
    needs_key: z.string().nullable(),
    key_env_var: z.string().nullable(),
    provider: z.string().nullable().meta({
      description:
        'Who serves the model: `openai`, `anthropic`, or a configured endpoint’s name (by default its host). A key it needs is stored under `needs_key`.',
    }),
    endpoint: z.string().nullable().meta({
      description:
        'Where the model is called: its base URL, never with a user, password, query or key; null for a model served in the process (echo).',
    }),
    api: z.string().nullable().meta({
      description:
        'Which of its provider’s APIs it is called through (`chat`, `responses`, `messages`); null when it has no choice.',
    }),
    fallbacks: z.array(z.string()).meta({
      description:
        'Models tried in order when this one keeps failing, or finds the prompt too long.',
    }),
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
