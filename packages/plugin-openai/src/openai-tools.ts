import type { ToolDefinition } from '@llmq/core';
import type { ChatCompletionFunctionTool } from 'openai/resources/chat/completions';

/** A prompt's tools as Chat Completions `tools`: functions whose parameters are the schemas. */
export function openAITools(tools: readonly ToolDefinition[]): ChatCompletionFunctionTool[] {
  return tools.map((tool) => ({
    type: 'function',
    function: {
      name: tool.name,
      ...(tool.description === undefined ? {} : { description: tool.description }),
      parameters: tool.inputSchema as Record<string, unknown>,
    },
  }));
}
