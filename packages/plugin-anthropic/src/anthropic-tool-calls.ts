import { ModelError, type ToolCall } from '@llmq/core';
import type { AnthropicPayload } from './anthropic-payload.ts';

/**
 * The tool calls of an answer, in content order. An input that is not a JSON object (text a
 * stream assembled that does not parse, or another value) is the model's fault and would be the
 * same on another attempt: a final `ModelError` naming the tool and the input.
 */
export function toolCallsOf(payload: AnthropicPayload): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const block of payload.content) {
    if (block.type !== 'tool_use') continue;
    const { id, name, input } = block as { id: string; name: string; input: unknown };
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      const text = typeof input === 'string' ? input : JSON.stringify(input);
      throw new ModelError(
        `The model called tool ${name} with input that is not a JSON object: ${text}`,
        { retryable: false },
      );
    }
    calls.push({ id, name, arguments: input as Record<string, unknown> });
  }
  return calls;
}
