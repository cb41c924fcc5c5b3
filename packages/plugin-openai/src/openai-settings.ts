import { PluginError } from '@llmq/core';
import { z } from 'zod';
import {
  chatOnlyOptionNames,
  openAIOptionNames,
  reasoningModelOptionNames,
  reasoningOnlyOptionNames,
  schemaOptionNames,
  toolOptionNames,
} from './openai-option-names.ts';

const modelConfigSchema = z
  .strictObject({
    id: z.string().min(1),
    /** The model name sent to the provider, when it differs from the llmq id. */
    model: z.string().min(1).optional(),
    aliases: z.array(z.string().min(1)).default([]),
    vision: z.boolean().default(false),
    audio: z.boolean().default(false),
    stream: z.boolean().default(true),
    /** Whether the model takes `response_format: {type: "json_schema"}` (structured outputs). */
    schemas: z.boolean().default(false),
    /** Whether the model takes `tools` (function calling), with `tool_choice` and `parallel_tool_calls`. */
    tools: z.boolean().default(false),
    /** A reasoning model (o-series, gpt-5): no `max_tokens`, no sampling options by default. */
    reasoning: z.boolean().default(false),
    /** The options the model accepts; by default those of a chat or of a reasoning model. */
    options: z.array(z.enum(openAIOptionNames)).min(1).optional(),
    /**
     * The API the model is called through: `responses` (OpenAI's Responses API) or `chat`
     * (Chat Completions). Unset, it follows the server (`openAIApiFor`): `responses` for
     * OpenAI's own, `chat` for any other OpenAI-compatible server, since most lack Responses.
     */
    api: z.enum(['responses', 'chat']).optional(),
  })
  .superRefine((config, context) => {
    const apiIssue = config.api && openAIApiIssue(config, config.api);
    if (apiIssue) context.addIssue({ code: 'custom', path: ['api'], message: apiIssue });
    for (const name of config.options ?? []) {
      if (config.reasoning && name === 'max_tokens') {
        context.addIssue({
          code: 'custom',
          path: ['options'],
          message: 'a reasoning model rejects max_tokens; list max_completion_tokens instead',
        });
      } else if (!config.schemas && schemaOptionNames.includes(name)) {
        context.addIssue({
          code: 'custom',
          path: ['options'],
          message: `${name} is for models with structured outputs; set "schemas": true to offer it`,
        });
      } else if (!config.tools && toolOptionNames.includes(name)) {
        context.addIssue({
          code: 'custom',
          path: ['options'],
          message: `${name} is for models with tools; set "tools": true to offer it`,
        });
      } else if (!config.reasoning && reasoningOnlyOptionNames.has(name)) {
        context.addIssue({
          code: 'custom',
          path: ['options'],
          message: `${name} is for reasoning models only; set "reasoning": true to offer it`,
        });
      }
    }
  });

export type OpenAIModelConfig = z.output<typeof modelConfigSchema>;
export type OpenAIApi = NonNullable<OpenAIModelConfig['api']>;

/**
 * The API a model is called through: its configured `api`, else `responses` when the plugin
 * talks to OpenAI itself (no base URL, or one on api.openai.com) and `chat` for any other
 * server, as OpenAI-compatible servers (vLLM, Ollama, LiteLLM, …) mostly lack `/v1/responses`.
 */
export function openAIApiFor(
  config: Pick<OpenAIModelConfig, 'api'>,
  baseUrl: string | undefined,
): OpenAIApi {
  if (config.api) return config.api;
  if (baseUrl === undefined) return 'responses';
  return URL.canParse(baseUrl) && new URL(baseUrl).hostname === 'api.openai.com'
    ? 'responses'
    : 'chat';
}

/**
 * What a model's configuration asks that the API cannot give, or undefined: the Responses API
 * takes no audio input and has no field for some Chat Completions options.
 */
export function openAIApiIssue(
  config: Pick<OpenAIModelConfig, 'audio' | 'options'>,
  api: OpenAIApi,
): string | undefined {
  if (api !== 'responses') return undefined;
  if (config.audio) {
    return 'the Responses API takes no audio input; set "api": "chat" for a model with "audio"';
  }
  const chatOnly = (config.options ?? []).filter((name) => chatOnlyOptionNames.has(name));
  if (chatOnly.length > 0) {
    return `the Responses API has no ${chatOnly.join(', ')}; set "api": "chat" to offer them`;
  }
  return undefined;
}
/** A model's configuration as written, before defaults: what `OpenAIChatModel` is built from. */
export type OpenAIModelConfigInput = z.input<typeof modelConfigSchema>;

/** Read one model's configuration, filling in defaults; raises a ZodError when it is wrong. */
export function parseOpenAIModelConfig(config: OpenAIModelConfigInput): OpenAIModelConfig {
  return modelConfigSchema.parse(config);
}

// Every chat and reasoning model OpenAI lists today calls tools; the audio preview does not.
const chat = {
  aliases: [],
  vision: true,
  audio: false,
  stream: true,
  tools: true,
  reasoning: false,
};
const reasoning = { ...chat, reasoning: true };
const gpt5Options = [...reasoningModelOptionNames, 'verbosity'] as const;

/** The chat models registered when `LLMQ_OPENAI_MODELS` does not list others. */
export const defaultOpenAIModels: readonly OpenAIModelConfig[] = [
  { ...chat, id: 'gpt-4o-mini', aliases: ['4o-mini'], schemas: true },
  { ...chat, id: 'gpt-4o', aliases: ['4o'], schemas: true },
  { ...chat, id: 'gpt-4.1', aliases: ['4.1'], schemas: true },
  { ...chat, id: 'gpt-4.1-mini', aliases: ['4.1-mini'], schemas: true },
  { ...chat, id: 'gpt-4.1-nano', aliases: ['4.1-nano'], schemas: true },
  {
    ...chat,
    id: 'gpt-4o-audio-preview',
    vision: false,
    audio: true,
    schemas: false,
    tools: false,
    // OpenAI serves audio input over Chat Completions only.
    api: 'chat',
  },
  { ...reasoning, id: 'gpt-5', schemas: true, options: [...gpt5Options] },
  { ...reasoning, id: 'gpt-5-mini', schemas: true, options: [...gpt5Options] },
  { ...reasoning, id: 'gpt-5-nano', schemas: true, options: [...gpt5Options] },
  { ...reasoning, id: 'o3', schemas: true },
  { ...reasoning, id: 'o3-mini', vision: false, schemas: true },
  { ...reasoning, id: 'o4-mini', schemas: true },
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
 * `LLMQ_OPENAI_MODELS`, a JSON array of model entries:
 *
 * `{id, model?, aliases?, vision?, audio?, stream?, schemas?, tools?, reasoning?, options?, api?}`
 *
 * - `model`: the name sent to the provider, when it is not the id;
 * - `vision` / `audio`: accepts images / WAV and MP3 audio (default false);
 * - `stream`: streams its answers (default true);
 * - `schemas`: supports JSON Schema structured output (default false); such a model also takes
 *   the option `strict_schema` (sent in OpenAI's strict mode or not; by default strict whenever
 *   the schema allows it);
 * - `tools`: calls tools (default false; true for the default models but gpt-4o-audio-preview):
 *   a prompt's tools are sent as functions, and the model takes the options `tool_choice` and
 *   `parallel_tool_calls`;
 * - `reasoning`: a reasoning model such as o3 or gpt-5 (default false): `max_tokens` is refused
 *   (use `max_completion_tokens`), and by default so are the sampling options;
 * - `options`: the option names the model accepts, replacing the default set for its kind; for
 *   example `["max_completion_tokens", "reasoning_effort", "temperature"]` for a local reasoning
 *   model that does take a temperature.
 * - `api`: `responses` (OpenAI's Responses API) or `chat` (Chat Completions). By default
 *   `responses` when `OPENAI_BASE_URL` is unset (or on api.openai.com), `chat` otherwise, as
 *   most OpenAI-compatible servers lack Responses; gpt-4o-audio-preview is always `chat`.
 *   Over Responses a `vision` model also takes PDFs, and `stop`, `seed` and the penalties are
 *   not offered (the API has no such fields); audio needs `chat`.
 *
 * For example: `[{"id":"llama3","vision":true},{"id":"r1","model":"deepseek-r1","reasoning":true}]`.
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
      `LLMQ_OPENAI_MODELS${pathText(issue?.path ?? [])}: ${issue?.message}; ` +
        'each entry is {id, model?, aliases?, vision?, audio?, stream?, schemas?, tools?, reasoning?, ' +
        `options?, api?}, options from: ${openAIOptionNames.join(', ')}`,
    );
  }
  return parsed.data;
}

/** `[0].options[1]` for the path `[0, 'options', 1]`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}
