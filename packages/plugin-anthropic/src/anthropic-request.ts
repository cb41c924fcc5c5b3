import { transformJSONSchema } from '@anthropic-ai/sdk/lib/transform-json-schema';
import type { MessageCreateParamsBase, ToolChoice } from '@anthropic-ai/sdk/resources/messages';
import type { JsonSchema, ToolDefinition } from '@llmq/core';
import type { AnthropicInput } from './anthropic-messages.ts';
import type { AnthropicOptions } from './anthropic-options.ts';
import type { AnthropicThinking } from './anthropic-settings.ts';

/** The thinking budget when thinking is asked without one, as llm-anthropic's default. */
export const defaultThinkingBudget = 1024;

export interface AnthropicRequestInit {
  readonly model: string;
  readonly input: AnthropicInput;
  readonly options: AnthropicOptions;
  /** `max_tokens` when the options do not set it. */
  readonly defaultMaxTokens: number;
  readonly thinking: AnthropicThinking;
  readonly schema?: JsonSchema | undefined;
  readonly tools?: readonly ToolDefinition[] | undefined;
}

/**
 * The body of a Messages API request (without `stream`): `max_tokens` always (Anthropic
 * requires it), raised past a thinking budget it would not leave room beside; the system
 * prompt; the options as Anthropic's fields (`user_id` as `metadata.user_id`, one stop sequence
 * as a list, `thinking` as `{type: "enabled", budget_tokens}` or `{type: "adaptive"}` as the
 * model thinks, `tool_choice` as `{type}`); tools with their `input_schema`; a schema as
 * `output_config.format` (structured outputs), in the form strict decoding takes.
 */
export function anthropicRequest(init: AnthropicRequestInit): MessageCreateParamsBase {
  const { options } = init;
  const thinking = thinkingField(init.thinking, options);
  const budget = thinking?.type === 'enabled' ? thinking.budget_tokens : undefined;
  let maxTokens = options.max_tokens ?? init.defaultMaxTokens;
  // Thinking counts against max_tokens, which must exceed the budget: room for the answer too.
  if (options.max_tokens === undefined && budget !== undefined && budget >= maxTokens) {
    maxTokens = budget + init.defaultMaxTokens;
  }
  const request: MessageCreateParamsBase & Record<string, unknown> = {
    model: init.model,
    max_tokens: maxTokens,
    messages: init.input.messages,
  };
  if (init.input.system !== undefined) request.system = init.input.system;
  if (options.temperature !== undefined) request.temperature = options.temperature;
  if (options.top_p !== undefined) request.top_p = options.top_p;
  if (options.top_k !== undefined) request.top_k = options.top_k;
  if (options.stop_sequences !== undefined) {
    request.stop_sequences =
      typeof options.stop_sequences === 'string'
        ? [options.stop_sequences]
        : options.stop_sequences;
  }
  if (options.user_id !== undefined) request.metadata = { user_id: options.user_id };
  if (thinking) request.thinking = thinking;
  const tools = init.tools ?? [];
  if (tools.length > 0) {
    request.tools = tools.map((tool) => ({
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      input_schema: tool.inputSchema as { type: 'object' },
    }));
    if (options.tool_choice !== undefined) request.tool_choice = toolChoice(options.tool_choice);
  }
  if (init.schema) {
    request.output_config = { format: { type: 'json_schema', schema: strictSchema(init.schema) } };
  }
  return request;
}

function thinkingField(
  kind: AnthropicThinking,
  options: AnthropicOptions,
): MessageCreateParamsBase['thinking'] {
  if (kind === 'budget' && (options.thinking || options.thinking_budget !== undefined)) {
    if (options.thinking === false) return undefined;
    return { type: 'enabled', budget_tokens: options.thinking_budget ?? defaultThinkingBudget };
  }
  if (kind === 'adaptive' && options.thinking) return { type: 'adaptive' };
  return undefined;
}

function toolChoice(choice: NonNullable<AnthropicOptions['tool_choice']>): ToolChoice {
  return typeof choice === 'string' ? { type: choice } : choice;
}

/**
 * The schema in the form Anthropic's strict decoding takes (the SDK's own transform, as
 * llm-anthropic uses: closed objects, unsupported keywords moved into descriptions); a schema
 * the transform cannot take (one without a type) goes as written, for Anthropic to judge. The
 * engine validates the answer against the stored schema either way.
 */
function strictSchema(schema: JsonSchema): Record<string, unknown> {
  try {
    return transformJSONSchema(schema as Record<string, unknown>);
  } catch {
    return { ...schema };
  }
}
