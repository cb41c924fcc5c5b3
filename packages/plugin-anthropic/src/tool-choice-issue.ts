import type { OptionIssue, ToolDefinition } from '@llmq/core';
import type { AnthropicOptions } from './anthropic-options.ts';

/**
 * What is wrong with a prompt's `tool_choice` given its tools, as Anthropic would answer 400:
 * it needs tools, and a chosen tool must be one of them.
 */
export function toolChoiceIssue(
  options: AnthropicOptions,
  tools: readonly ToolDefinition[],
): OptionIssue | undefined {
  const choice = options.tool_choice;
  if (choice === undefined) return undefined;
  if (tools.length === 0) {
    return {
      path: 'tool_choice',
      message: `Option 'tool_choice' needs tools; the prompt gives none`,
    };
  }
  if (typeof choice === 'object' && !tools.some((tool) => tool.name === choice.name)) {
    return {
      path: 'tool_choice.name',
      message: `Option 'tool_choice' names ${choice.name}, which is not one of the prompt's tools (${tools.map((tool) => tool.name).join(', ')})`,
    };
  }
  return undefined;
}
