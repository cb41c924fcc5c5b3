import { PluginError } from '@llmq/core';
import { z } from 'zod';

const modelConfigSchema = z.strictObject({
  id: z.string().min(1),
  /** The model name sent to the provider, when it differs from the llmq id. */
  model: z.string().min(1).optional(),
  aliases: z.array(z.string().min(1)).default([]),
  vision: z.boolean().default(false),
  audio: z.boolean().default(false),
  stream: z.boolean().default(true),
});

export type OpenAIModelConfig = z.output<typeof modelConfigSchema>;

/** The chat models registered when `LLMQ_OPENAI_MODELS` does not list others. */
export const defaultOpenAIModels: readonly OpenAIModelConfig[] = [
  { id: 'gpt-4o-mini', aliases: ['4o-mini'], vision: true, audio: false, stream: true },
  { id: 'gpt-4o', aliases: ['4o'], vision: true, audio: false, stream: true },
  { id: 'gpt-4.1', aliases: ['4.1'], vision: true, audio: false, stream: true },
  { id: 'gpt-4.1-mini', aliases: ['4.1-mini'], vision: true, audio: false, stream: true },
  { id: 'gpt-4.1-nano', aliases: ['4.1-nano'], vision: true, audio: false, stream: true },
  { id: 'gpt-4o-audio-preview', aliases: [], vision: false, audio: true, stream: true },
];

const settingsSchema = z.object({
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LLMQ_OPENAI_MODELS: z.string().min(1).optional(),
});

export interface OpenAISettings {
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
  readonly models: readonly OpenAIModelConfig[];
}

/**
 * The plugin's configuration from its app's settings: `OPENAI_API_KEY`, `OPENAI_BASE_URL` and
 * `LLMQ_OPENAI_MODELS`, a JSON array of `{id, model?, aliases?, vision?, audio?, stream?}`.
 */
export function parseOpenAISettings(
  settings: Readonly<Record<string, string | undefined>>,
): OpenAISettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PluginError(
      '@llmq/plugin-openai',
      `${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { OPENAI_API_KEY, OPENAI_BASE_URL, LLMQ_OPENAI_MODELS } = parsed.data;
  return {
    apiKey: OPENAI_API_KEY,
    baseUrl: OPENAI_BASE_URL,
    models: LLMQ_OPENAI_MODELS ? parseModelList(LLMQ_OPENAI_MODELS) : defaultOpenAIModels,
  };
}

function parseModelList(text: string): OpenAIModelConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PluginError(
      '@llmq/plugin-openai',
      `LLMQ_OPENAI_MODELS is not valid JSON (${error instanceof Error ? error.message : error}); ` +
        'give an array like [{"id":"llama3","vision":true}]',
    );
  }
  const parsed = z.array(modelConfigSchema).min(1).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PluginError(
      '@llmq/plugin-openai',
      `LLMQ_OPENAI_MODELS[${issue?.path.join('.')}]: ${issue?.message}; ` +
        'each entry is {id, model?, aliases?, vision?, audio?, stream?}',
    );
  }
  return parsed.data;
}
