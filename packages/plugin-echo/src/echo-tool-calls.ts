import { type Message, ModelError, messageText, messageToolCalls, type ToolCall } from '@llmq/core';

/**
 * The tool calls a prompt asks echo to make, like llm-echo: a prompt whose text is a JSON object
 * with a `tool_calls` list of `{name, arguments?, id?}`. Undefined when the text is anything
 * else, so every other prompt is described as before. An id left out is `echo-call-<n>`, n
 * counting the calls of the whole conversation from 1, so ids never repeat within one.
 *
 * For chains of several steps, `tool_calls` may be a list of such lists, one per model call:
 * a turn that only carries tool results (a chain's later step) takes the list of its step,
 * counted from the last user message, and is described once the lists run out.
 */
export function requestedToolCalls(
  text: string,
  history: readonly Message[],
): ToolCall[] | undefined {
  const stepped = text ? { asked: text, step: 0 } : stepOfChain(history);
  if (!stepped) return undefined;
  let requested = toolCallsField(stepped.asked);
  if (requested === undefined) return undefined;
  if (!Array.isArray(requested)) throw malformed('tool_calls must be a list');
  if (requested.length > 0 && requested.every(Array.isArray)) {
    requested = requested[stepped.step];
    if (requested === undefined) return undefined;
  } else if (stepped.step > 0) {
    return undefined;
  }
  if (!Array.isArray(requested)) throw malformed('tool_calls must be a list');
  const earlier = history.reduce((count, message) => count + messageToolCalls(message).length, 0);
  return requested.map((item: unknown, index) => {
    if (!isObject(item) || typeof item.name !== 'string') {
      throw malformed(`tool_calls[${index}] needs a name`);
    }
    const args = item.arguments ?? {};
    if (!isObject(args)) throw malformed(`tool_calls[${index}].arguments must be an object`);
    if (item.id !== undefined && typeof item.id !== 'string') {
      throw malformed(`tool_calls[${index}].id must be a string`);
    }
    return { id: item.id ?? `echo-call-${earlier + index + 1}`, name: item.name, arguments: args };
  });
}

/** For a turn without text: the last user message's text, and how many answers followed it. */
function stepOfChain(messages: readonly Message[]): { asked: string; step: number } | undefined {
  let answers = 0;
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index] as Message;
    if (message.role === 'assistant') answers++;
    if (message.role === 'user') {
      const asked = messageText(message);
      return asked ? { asked, step: answers } : undefined;
    }
  }
  return undefined;
}

function toolCallsField(text: string): unknown {
  if (!text.trimStart().startsWith('{')) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  return isObject(parsed) ? parsed.tool_calls : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A prompt that asks for tool calls but names them wrongly: a test's mistake, not worth a retry. */
function malformed(reason: string): ModelError {
  return new ModelError(`echo cannot make the tool calls asked for: ${reason}`, {
    retryable: false,
  });
}
