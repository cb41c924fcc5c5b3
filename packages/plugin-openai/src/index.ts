import type { PluginContext, Register } from '@llmq/core';
import { OpenAIChatModel } from './openai-chat-model.ts';
import { OpenAIClients } from './openai-clients.ts';
import { openAIEndpointOf } from './openai-endpoint.ts';
import { parseOpenAISettings } from './openai-settings.ts';

export { jsonSchemaResponseFormat } from './json-schema-response-format.ts';
export { OpenAIChatModel } from './openai-chat-model.ts';
export { OpenAIClients } from './openai-clients.ts';
export { type OpenAIEndpoint, openAIEndpointOf } from './openai-endpoint.ts';
export { toModelError } from './openai-errors.ts';
export { buildChatMessages } from './openai-messages.ts';
export { type OpenAIOptionName, openAIOptionNames } from './openai-option-names.ts';
export { type OpenAIOptions, openAIOptionsSchema } from './openai-options.ts';
export {
  defaultOpenAIModels,
  type OpenAIApi,
  type OpenAIModelConfig,
  type OpenAIModelConfigInput,
  type OpenAISettings,
  openAIApiFor,
  parseOpenAISettings,
} from './openai-settings.ts';
export { buildResponsesInput, type ResponsesInput } from './responses-input.ts';
export { responsesRequestFields } from './responses-request-fields.ts';
export { isStrictSchema, strictModeRequirements, strictSchemaFor } from './strict-schema.ts';

/** The plugin hook: registers the configured models. */
export function registerModels(register: Register, context: PluginContext): void {
  const settings = parseOpenAISettings(context.settings);
  const clients = new OpenAIClients();
  for (const config of settings.models) {
    const { keyVariable } = openAIEndpointOf(config, settings.baseUrl);
    const apiKey = keyVariable === undefined ? undefined : settings.keys.get(keyVariable);
    register(new OpenAIChatModel({ config, apiKey, baseUrl: settings.baseUrl, clients }), {
      aliases: config.aliases,
    });
  }
}
