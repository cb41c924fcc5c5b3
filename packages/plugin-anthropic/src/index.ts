import type { PluginContext, Register } from '@llmq/core';
import { AnthropicModel } from './anthropic-model.ts';
import { parseAnthropicSettings } from './anthropic-settings.ts';

export {
  type AnthropicEndpoint,
  anthropicEndpointOf,
  isAnthropicServer,
} from './anthropic-endpoint.ts';
export { toModelError } from './anthropic-errors.ts';
export { type AnthropicInput, buildAnthropicInput } from './anthropic-messages.ts';
export { AnthropicModel, type AnthropicModelInit } from './anthropic-model.ts';
export { type AnthropicOptionName, anthropicOptionNames } from './anthropic-option-names.ts';
export { type AnthropicOptions, anthropicOptionsSchema } from './anthropic-options.ts';
export type { AnthropicPayload } from './anthropic-payload.ts';
export { anthropicRequest } from './anthropic-request.ts';
export {
  type AnthropicModelConfig,
  type AnthropicModelConfigInput,
  type AnthropicSettings,
  defaultAnthropicModels,
  parseAnthropicSettings,
} from './anthropic-settings.ts';

/** The plugin hook: registers the configured Claude models. */
export function registerModels(register: Register, context: PluginContext): void {
  const settings = parseAnthropicSettings(context.settings);
  for (const { config, apiKey, endpoint } of settings.models) {
    register(new AnthropicModel({ config, apiKey, endpoint }), { aliases: config.aliases });
  }
}
