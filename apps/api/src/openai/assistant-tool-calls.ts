import type { ToolCallBody } from '@llmq/contracts';
import { ChatMappingError } from './chat-mapping-error.ts';
import type { AssistantToolCall } from './chat-request.ts';

/**
 * An assistant message's `tool_calls` as llmq's calls, their arguments parsed: the JSON text
 * the model wrote must be an object, as every provider's arguments are. An empty text means no
 * arguments (some clients send it so for a tool without parameters). `index` is the message's.
 */
export function assistantToolCalls(
  calls: readonly AssistantToolCall[],
  index: number,
): ToolCallBody[] {
  const seen = new Set<string>();
  return calls.map((call, position) => {
    const param = `messages[${index}].tool_calls[${position}]`;
    if (seen.has(call.id)) {
      throw new ChatMappingError(
        `Tool call id ${call.id} is used twice in one assistant message`,
        `${param}.id`,
      );
    }
    seen.add(call.id);
    return { id: call.id, name: call.function.name, arguments: argumentsOf(call, param) };
  });
}

function argumentsOf(call: AssistantToolCall, param: string): Record<string, unknown> {
  const text = call.function.arguments;
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new ChatMappingError(
      `The arguments of tool call ${call.id} (${call.function.name}) are not valid JSON`,
      `${param}.function.arguments`,
    );
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ChatMappingError(
      `The arguments of tool call ${call.id} (${call.function.name}) must be a JSON object`,
      `${param}.function.arguments`,
    );
  }
  return parsed as Record<string, unknown>;
}
