import { PluginError } from '@llmq/core';
import { z } from 'zod';
import {
  type AnthropicEndpoint,
  anthropicEndpointFields,
  anthropicEndpointIssue,
  anthropicEndpointOf,
} from './anthropic-endpoint.ts';
import {
  type AnthropicOptionName,
  adaptiveThinkingOptionNames,
  anthropicOptionNames,
  baseOptionNames,
  budgetThinkingOptionNames,
  samplingOptionNames,
  toolOptionNames,
} from './anthropic-option-names.ts';

const pluginName = '@llmq/plugin-anthropic';

/** How a model thinks: not at all, with a token budget, or adaptively (Claude 4.6 and later). */
const thinkingSchema = z
  .union([z.boolean(), z.enum(['none', 'budget', 'adaptive'])])
  .default(false)
  .transform((value) => (value === true ? 'budget' : value === false ? 'none' : value));

const modelConfigSchema = z
  .strictObject({
    id: z.string().min(1),
    /** The model name sent to Anthropic, when it differs from the llmq id. */
    model: z.string().min(1).optional(),
    aliases: z.array(z.string().min(1)).default([]),
    /** Takes PNG, JPEG, GIF and WebP images (every Claude model does). */
    vision: z.boolean().default(true),
    /** Takes PDFs as `document` blocks. */
    pdf: z.boolean().default(true),
    /** Calls tools, with the option `tool_choice`. */
    tools: z.boolean().default(true),
    /** Answers to a JSON Schema through `output_config.format` (Claude 4.5 and later). */
    schemas: z.boolean().default(false),
    thinking: thinkingSchema,
    /** Takes `temperature`, `top_p` and `top_k`, which Claude 4.7 and later refuse. */
    sampling: z.boolean().default(true),
    /** `max_tokens` when the prompt does not set it: Anthropic requires one on every request. */
    max_tokens: z.int().min(1).default(8192),
    stream: z.boolean().default(true),
    ...anthropicEndpointFields,
    /** Models (ids or aliases) tried in order when this one keeps failing. */
    fallbacks: z.array(z.string().min(1)).default([]),
    /** The option names the model accepts, replacing the default set for its kind. */
    options: z.array(z.enum(anthropicOptionNames)).min(1).optional(),
  })
  .superRefine((config, context) => {
    const endpointIssue = anthropicEndpointIssue(config);
    if (endpointIssue) {
      const [field, message] = endpointIssue;
      context.addIssue({ code: 'custom', path: [field], message });
    }
    for (const name of config.options ?? []) {
      const issue = optionIssue(config, name);
      if (issue) context.addIssue({ code: 'custom', path: ['options'], message: issue });
    }
  });

function optionIssue(
  config: { readonly thinking: string; readonly tools: boolean },
  name: AnthropicOptionName,
): string | undefined {
  if (name === 'thinking' && config.thinking === 'none') {
    return 'thinking is for models that think; set "thinking": "budget" or "adaptive" to offer it';
  }
  if (name === 'thinking_budget' && config.thinking !== 'budget') {
    return 'thinking_budget is for models with budgeted thinking; set "thinking": "budget" to offer it';
  }
  if (name === 'tool_choice' && !config.tools) {
    return 'tool_choice is for models with tools; set "tools": true to offer it';
  }
  return undefined;
}

export type AnthropicModelConfig = z.output<typeof modelConfigSchema>;
/** A model's configuration as written, before defaults. */
export type AnthropicModelConfigInput = z.input<typeof modelConfigSchema>;
export type AnthropicThinking = AnthropicModelConfig['thinking'];

/** Read one model's configuration, filling in defaults; raises a ZodError when it is wrong. */
export function parseAnthropicModelConfig(config: AnthropicModelConfigInput): AnthropicModelConfig {
  return modelConfigSchema.parse(config);
}

/** The default options for a model of this configuration, before its own `options` list. */
export function defaultOptionNames(config: AnthropicModelConfig): AnthropicOptionName[] {
  return [
    ...baseOptionNames,
    ...(config.sampling ? samplingOptionNames : []),
    ...(config.thinking === 'budget' ? budgetThinkingOptionNames : []),
    ...(config.thinking === 'adaptive' ? adaptiveThinkingOptionNames : []),
    ...(config.tools ? toolOptionNames : []),
  ];
}

const current = {
  vision: true,
  pdf: true,
  tools: true,
  schemas: true,
  max_tokens: 8192,
  stream: true,
  fallbacks: [],
};

/**
 * The models registered when `LLMQ_ANTHROPIC_MODELS` does not list others: Anthropic's current
 * models. From Claude 4.7 on, thinking is adaptive only and sampling options are refused, so
 * those models offer neither `thinking_budget` nor `temperature`; Sonnet 4.6 and Haiku 4.5 still
 * take both (Haiku has no adaptive thinking).
 */
export const defaultAnthropicModels: readonly AnthropicModelConfig[] = [
  {
    ...current,
    id: 'claude-opus-5-5',
    aliases: ['claude-opus-5.5', 'claude-opus'],
    thinking: 'adaptive',
    sampling: false,
  },
  {
    ...current,
    id: 'claude-sonnet-5-5',
    aliases: ['claude-sonnet-5.5', 'claude-sonnet'],
    thinking: 'adaptive',
    sampling: false,
  },
  {
    ...current,
    id: 'claude-haiku-5-5',
    aliases: ['claude-haiku-5.5', 'claude-haiku'],
    thinking: 'adaptive',
    sampling: false,
  },
  {
    ...current,
    id: 'claude-fable-5-2',
    aliases: ['claude-fable-5.2', 'claude-fable'],
    thinking: 'adaptive',
    sampling: false,
  },
  {
    ...current,
    id: 'claude-opus-4-8',
    aliases: ['claude-opus-4.8'],
    thinking: 'adaptive',
    sampling: false,
  },
  {
    ...current,
    id: 'claude-sonnet-4-6',
    aliases: ['claude-sonnet-4.6'],
    thinking: 'budget',
    sampling: true,
  },
  {
    ...current,
    id: 'claude-haiku-4-5',
    aliases: ['claude-haiku-4.5'],
    thinking: 'budget',
    sampling: true,
  },
];

const settingsSchema = z.object({
  ANTHROPIC_API_KEY: z.string().min(1).optional(),
  ANTHROPIC_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  LLMQ_ANTHROPIC_MODELS: z.string().min(1).optional(),
});

/** One model with where it is called and with which key. */
export interface AnthropicModelSetting {
  readonly config: AnthropicModelConfig;
  /** Its key from the settings; undefined when unset or when its server needs none. */
  readonly apiKey: string | undefined;
  readonly endpoint: AnthropicEndpoint;
}

export interface AnthropicSettings {
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
  readonly models: readonly AnthropicModelSetting[];
}

/**
 * The plugin's configuration from its app's settings: `ANTHROPIC_API_KEY`, `ANTHROPIC_BASE_URL`
 * (the server's origin, as the SDK takes it: `https://api.anthropic.com`, no `/v1`) and
 * `LLMQ_ANTHROPIC_MODELS`, a JSON array of model entries:
 *
 * `{id, model?, aliases?, vision?, pdf?, tools?, schemas?, thinking?, sampling?, max_tokens?,
 * stream?, base_url?, key_env?, provider?, fallbacks?, options?}`
 *
 * - `model`: the name sent to Anthropic, when it is not the id;
 * - `vision` / `pdf`: takes images / PDFs (default true);
 * - `tools`: calls tools, with the option `tool_choice` (default true);
 * - `schemas`: answers to a JSON Schema (structured outputs, default false);
 * - `thinking`: `false` (default), `true` or `"budget"` (the options `thinking` and
 *   `thinking_budget`), or `"adaptive"` (the option `thinking` only);
 * - `sampling`: takes `temperature`, `top_p` and `top_k` (default true; Claude 4.7 and later
 *   refuse them);
 * - `max_tokens`: sent when the prompt does not set it (default 8192);
 * - `base_url` / `key_env` / `provider`: another server (no credentials or query in the URL),
 *   the setting holding its key (required with a foreign `base_url`; null for a server without
 *   keys) and the name shown and its key is stored under (default `anthropic` on Anthropic's
 *   server, else the URL's host);
 * - `fallbacks`: models tried in order when this one keeps failing;
 * - `options`: the option names the model accepts, replacing its default set.
 *
 * For example: `[{"id":"claude-sonnet-4-5","schemas":true,"thinking":true}]`.
 */
export function parseAnthropicSettings(
  settings: Readonly<Record<string, string | undefined>>,
): AnthropicSettings {
  const parsed = settingsSchema.safeParse(settings);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PluginError(
      pluginName,
      `${issue?.path.join('.') ?? 'settings'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  const { ANTHROPIC_API_KEY, ANTHROPIC_BASE_URL, LLMQ_ANTHROPIC_MODELS } = parsed.data;
  const configs = LLMQ_ANTHROPIC_MODELS
    ? parseModelList(LLMQ_ANTHROPIC_MODELS)
    : defaultAnthropicModels;
  return {
    apiKey: ANTHROPIC_API_KEY,
    baseUrl: ANTHROPIC_BASE_URL,
    models: configs.map((config) => {
      const endpoint = anthropicEndpointOf(config, ANTHROPIC_BASE_URL);
      const apiKey = endpoint.keyVariable ? settings[endpoint.keyVariable] || undefined : undefined;
      return { config, apiKey, endpoint };
    }),
  };
}

function parseModelList(text: string): AnthropicModelConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new PluginError(
      pluginName,
      `LLMQ_ANTHROPIC_MODELS is not valid JSON (${error instanceof Error ? error.message : error}); ` +
        'give an array like [{"id":"claude-sonnet-4-5","schemas":true}]',
    );
  }
  const parsed = z.array(modelConfigSchema).min(1).safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new PluginError(
      pluginName,
      `LLMQ_ANTHROPIC_MODELS${pathText(issue?.path ?? [])}: ${issue?.message}; ` +
        'each entry is {id, model?, aliases?, vision?, pdf?, tools?, schemas?, thinking?, sampling?, ' +
        `max_tokens?, stream?, base_url?, key_env?, provider?, fallbacks?, options?}, options from: ${anthropicOptionNames.join(', ')}`,
    );
  }
  return parsed.data;
}

/** `[0].options[1]` for the path `[0, 'options', 1]`. */
function pathText(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`)).join('');
}
