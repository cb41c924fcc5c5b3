import type { JsonSchema, ToolDefinition } from '@llmq/core';
import type { FunctionTool, ResponseCreateParamsBase } from 'openai/resources/responses/responses';
import { jsonSchemaResponseFormat } from './json-schema-response-format.ts';
import type { OpenAIOptions } from './openai-options.ts';
import { strictSchemaFor } from './strict-schema.ts';

type RequestFields = Omit<ResponseCreateParamsBase, 'model' | 'input' | 'stream'>;

/**
 * The Responses API fields a prompt's options, schema and tools become, as llm's OpenAI plugin
 * sends them. The option names are Chat Completions' (one set for both APIs): `max_tokens` and
 * `max_completion_tokens` become `max_output_tokens`, `reasoning_effort` `reasoning.effort`,
 * `verbosity` `text.verbosity`, `json_object` and a schema `text.format` (the schema strict as
 * on the chat path), a `tool_choice` function `{type, name}`. A reasoning model asks for its
 * reasoning summary (streamed as reasoning; `reasoning_summary`, `auto` unless said, and left
 * out for `none`) and its encrypted reasoning, which the next turn sends back. Nothing is stored at OpenAI (`store: false`): llmq keeps the history itself.
 */
export function responsesRequestFields(
  options: OpenAIOptions,
  schema: JsonSchema | undefined,
  tools: readonly ToolDefinition[],
  reasoningModel: boolean,
): RequestFields {
  const fields: RequestFields = { store: false };
  const maxTokens = options.max_completion_tokens ?? options.max_tokens;
  if (maxTokens !== undefined) fields.max_output_tokens = maxTokens;
  if (options.temperature !== undefined) fields.temperature = options.temperature;
  if (options.top_p !== undefined) fields.top_p = options.top_p;
  if (options.service_tier !== undefined) fields.service_tier = options.service_tier;
  if (reasoningModel) {
    const summary = options.reasoning_summary ?? 'auto';
    fields.reasoning = {
      ...(options.reasoning_effort === undefined ? {} : { effort: options.reasoning_effort }),
      // OpenAI refuses any summary (400) to an organisation it has not verified for them.
      ...(summary === 'none' ? {} : { summary }),
    };
    fields.include = ['reasoning.encrypted_content'];
  }
  const text: NonNullable<RequestFields['text']> = {};
  if (schema) {
    const { json_schema: format } = jsonSchemaResponseFormat(schema, options.strict_schema);
    text.format = { type: 'json_schema', ...format, schema: format.schema ?? {} };
  } else if (options.json_object) {
    text.format = { type: 'json_object' };
  }
  if (options.verbosity !== undefined) text.verbosity = options.verbosity;
  if (Object.keys(text).length > 0) fields.text = text;
  if (tools.length > 0) fields.tools = tools.map(functionTool);
  const choice = options.tool_choice;
  if (choice !== undefined) {
    fields.tool_choice =
      typeof choice === 'string' ? choice : { type: 'function', name: choice.function.name };
  }
  if (options.parallel_tool_calls !== undefined) {
    fields.parallel_tool_calls = options.parallel_tool_calls;
  }
  return fields;
}

/**
 * A tool as a Responses API function. Its `strict` is always said: the Responses API takes a
 * function as strict when it is not, and then refuses a schema strict mode cannot enforce. So the
 * schema goes strict when it can (as `strictSchemaFor` makes it, like a prompt's schema), else as
 * written with `strict: false`; the engine checks the arguments against the tool's own schema.
 */
function functionTool(tool: ToolDefinition): FunctionTool {
  const strictSchema = strictSchemaFor(tool.inputSchema);
  return {
    type: 'function',
    name: tool.name,
    ...(tool.description === undefined ? {} : { description: tool.description }),
    parameters: (strictSchema ?? tool.inputSchema) as Record<string, unknown>,
    strict: strictSchema !== undefined,
  };
}
