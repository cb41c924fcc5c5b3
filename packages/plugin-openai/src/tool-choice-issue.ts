import type { OptionIssue, ToolDefinition } from '@llmq/core';
import type { OpenAIOptions } from './openai-options.ts';

/**
 * What is wrong with a prompt's `tool_choice` and `parallel_tool_calls` given its tools, as
 * OpenAI would answer 400: both need tools, and a chosen function must be one of them.
 */
export function toolChoiceIssue(
  options: OpenAIOptions,
  tools: readonly ToolDefinition[],
): OptionIssue | undefined {
  const choice = options.tool_choice;
  if (tools.length === 0) {
    for (const name of ['tool_choice', 'parallel_tool_calls'] as const) {
      if (options[name] !== undefined) {
        return { path: name, message: `Option '${name}' needs tools; the prompt gives none` };
      }
    }
    return undefined;
  }
  if (typeof choice === 'object' && !tools.some((tool) => tool.name === choice.function.name)) {
    return {
      path: 'tool_choice.function.name',
      message: `Option 'tool_choice' names ${choice.function.name}, which is not one of the prompt's tools (${tools.map((tool) => tool.name).join(', ')})`,
    };
  }
  return undefined;
}
