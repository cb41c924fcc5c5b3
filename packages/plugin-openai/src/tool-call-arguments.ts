import { ModelError, type ToolCall } from '@llmq/core';

/**
 * A tool call from the provider's parts: its arguments are JSON text, which must be an object.
 * Text that is not is the model's fault and would be the same on another attempt, so the error
 * is final and names the tool and the text, for whoever reads the failed response.
 */
export function toolCallFromText(id: string, name: string, argumentsText: string): ToolCall {
  // A tool without parameters may be called with no argument text at all.
  if (argumentsText.trim() === '') return { id, name, arguments: {} };
  let parsed: unknown;
  try {
    parsed = JSON.parse(argumentsText);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ModelError(
      `The model called tool ${name} with arguments that are not valid JSON (${reason}): ${argumentsText}`,
      { retryable: false },
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ModelError(
      `The model called tool ${name} with arguments that are not a JSON object: ${argumentsText}`,
      { retryable: false },
    );
  }
  return { id, name, arguments: parsed as Record<string, unknown> };
}
