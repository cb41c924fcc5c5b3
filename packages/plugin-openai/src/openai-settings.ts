import { PluginError } from '@llmq/core';
import { z } from 'zod';
import {
  isOpenAIServer,
  openAIEndpointFields,
  openAIEndpointIssue,
  openAIEndpointOf,
  openAIKeyVariable,
} from './openai-endpoint.ts';
import { readOpenAIModelFile } from './openai-model-file.ts';
import {
  chatOnlyOptionNames,
  openAIOptionNames,
  reasoningModelOptionNames,
  reasoningOnlyOptionNames,
  responsesReasoningOptionNames,
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
    ...openAIEndpointFields,
    /**
     * Models (ids or aliases, of any plugin) the engine tries in order when this one keeps
     * failing; the engine checks that they exist, as they may be another plugin's.
     */
    fallbacks: z.array(z.string().min(1)).optional(),
  })
  .superRefine((config, context) => {
    const endpointIssue = openAIEndpointIssue(config);
    if (endpointIssue) {
      context.addIssue({ code: 'custom', path: [endpointIssue[0]], message: endpointIssue[1] });
    }
    const ownNames = [config.id, ...config.aliases];
    for (const [index, fallback] of (config.fallbacks ?? []).entries()) {
      if (ownNames.includes(fallback)) {
        context.addIssue({
          code: 'custom',
          path: ['fallbacks', index],
          message: `${fallback} is this model: a fallback names another one`,
        });
      }
    }
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
  return isOpenAIServer(baseUrl) ? 'responses' : 'chat';
}

/**
 * What a model's configuration asks that the API cannot give, or undefined: the Responses API
 * takes no audio input and has no field for some Chat Completions options, and Chat Completions
 * none for `reasoning_summary`.
 */
export function openAIApiIssue(
  config: Pick<OpenAIModelConfig, 'audio' | 'options'>,
  api: OpenAIApi,
): string | undefined {
  if (api !== 'responses') {
    const responsesOnly = (config.options ?? []).filter((name) =>
      responsesReasoningOptionNames.includes(name),
    );
    return responsesOnly.length > 0
      ? `Chat Completions has no ${responsesOnly.join(', ')}; set "api": "responses" to offer it`
      : undefined;
  }
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
  LLMQ_OPENAI_MODELS_FILE: z.string().min(1).optional(),
});

export interface OpenAISettings {
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
  readonly models: readonly OpenAIModelConfig[];
  /** The value of each key variable the models name (`OPENAI_API_KEY`, their `key_env`s) that is set. */
  readonly keys: ReadonlyMap<string, string>;
}

/**
 * The plugin's configuration from its app's settings: `OPENAI_API_KEY`, `OPENAI_BASE_URL` and
 * the model list, a JSON array given in `LLMQ_OPENAI_MODELS` or in the file
 * `LLMQ_OPENAI_MODELS_FILE` names (one of them), of entries:
 *
 * `{id, model?, aliases?, vision?, audio?, stream?, schemas?, tools?, reasoning?, options?, api?,
 * base_url?, key_env?, needs_key?, provider?, headers?, fallbacks?}`
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
 *   (use `max_completion_tokens`), and by default so are the sampling options; over Responses it
 *   also takes `reasoning_summary` (`auto` by default, `concise`, `detailed`, or `none` for an
 *   organisation OpenAI has not verified for reasoning summaries, which it refuses them);
 * - `options`: the option names the model accepts, replacing the default set for its kind; for
 *   example `["max_completion_tokens", "reasoning_effort", "temperature"]` for a local reasoning
 *   model that does take a temperature.
 * - `api`: `responses` (OpenAI's Responses API) or `chat` (Chat Completions). By default
 *   `responses` on OpenAI's own server, `chat` on any other, as most OpenAI-compatible servers
 *   lack Responses; gpt-4o-audio-preview is always `chat`. Over Responses a `vision` model also
 *   takes PDFs, and `stop`, `seed` and the penalties are not offered (the API has no such
 *   fields); audio needs `chat`.
 * - `base_url`: the model's own server (default `OPENAI_BASE_URL`, else OpenAI's); no user,
 *   password or query in it. `key_env`: the settings variable of its key (default
 *   `OPENAI_API_KEY`, which with a `base_url` other than OpenAI's must be named); `null`, or
 *   `needs_key: false`, for a server that needs none. `provider`: who serves it (default
 *   `openai` on OpenAI's server, else the URL's host name), the name its key is stored under
 *   (`llmq provider-keys set <provider>`) unless the key is `OPENAI_API_KEY` (stored as
 *   `openai`). `headers`: extra request headers, never a key.
 * - `fallbacks`: models (of any plugin) the engine tries in order when this one keeps failing.
 *
 * For example: `[{"id":"llama3","vision":true},{"id":"r1","model":"deepseek-r1","reasoning":true},
 * {"id":"qwen","base_url":"http://127.0.0.1:8000/v1","key_env":"VLLM_API_KEY","provider":"vllm"}]`.
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
  const { OPENAI_API_KEY, OPENAI_BASE_URL, LLMQ_OPENAI_MODELS, LLMQ_OPENAI_MODELS_FILE } =
    parsed.data;
  if (LLMQ_OPENAI_MODELS && LLMQ_OPENAI_MODELS_FILE) {
    throw new PluginError(
      '@llmq/plugin-openai',
      'LLMQ_OPENAI_MODELS and LLMQ_OPENAI_MODELS_FILE are both set: give the model list in one of them',
    );
  }
  let models: readonly OpenAIModelConfig[] = defaultOpenAIModels;
  if (LLMQ_OPENAI_MODELS) models = parseModelList(LLMQ_OPENAI_MODELS, 'LLMQ_OPENAI_MODELS');
  if (LLMQ_OPENAI_MODELS_FILE) {
    models = parseModelList(
      readOpenAIModelFile(LLMQ_OPENAI_MODELS_FILE),
      `LLMQ_OPENAI_MODELS_FILE (${LLMQ_OPENAI_MODELS_FILE})`,
    );
  }
  requireOneVariablePerKeyName(models, OPENAI_BASE_URL);
  const keys = new Map<string, string>();
  for (const config of models) {
    const variable = openAIEndpointOf(config, OPENAI_BASE_URL).keyVariable;
    const value = variable === openAIKeyVariable ? OPENAI_API_KEY : variable && settings[variable];
    if (variable && value) keys.set(variable, value);
  }
  return { apiKey: OPENAI_API_KEY, baseUrl: OPENAI_BASE_URL, models, keys };
}

function parseModelList(text: string, source: string): OpenAIModelConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PluginError(
      '@llmq/plugin-openai',
      `${source} is not valid JSON (${error instanceof Error ? error.message : error}); ` +
        'give an array like [{"id":"llama3","vision":true}]',
    );
  }
  const parsed = z.array(modelConfigSchema).min(1).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PluginError(
      '@llmq/plugin-openai',
      `${source}${pathText(issue?.path ?? [])}: ${issue?.message}; ` +
        'each entry is {id, model?, aliases?, vision?, audio?, stream?, schemas?, tools?, reasoning?, ' +
        'options?, api?, base_url?, key_env?, needs_key?, provider?, headers?, fallbacks?}, ' +
        `options from: ${openAIOptionNames.join(', ')}`,
    );
  }
  return parsed.data;
}

/**
 * A stored key is found by its name alone, so every model whose key has that name must read the
 * same variable, or `llmq provider-keys set` and the environment would disagree on whose key it is.
 */
function requireOneVariablePerKeyName(
  models: readonly OpenAIModelConfig[],
  defaultBaseUrl: string | undefined,
): void {
  const seen = new Map<string, { readonly variable: string; readonly id: string }>();
  for (const config of models) {
    const { keyName, keyVariable } = openAIEndpointOf(config, defaultBaseUrl);
    if (keyName === undefined || keyVariable === undefined) continue;
    const first = seen.get(keyName);
    if (first && first.variable !== keyVariable) {
      throw new PluginError(
        '@llmq/plugin-openai',
        `${config.id} reads its ${keyName} key from ${keyVariable}, ${first.id} from ${first.variable}: ` +
          'give them different "provider" names, so each key is stored under a name of its own',
      );
    }
    seen.set(keyName, first ?? { variable: keyVariable, id: config.id });
  }
}

/** `[0].options[1]` for the path `[0, 'options', 1]`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}
