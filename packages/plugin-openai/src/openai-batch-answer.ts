import { ModelError, nonZeroUsageDetails, type ProviderBatchAnswer, type Usage } from '@llmq/core';
import type {
  ChatCompletion,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import { reasoningText } from './reasoning-text.ts';
import { toolCallFromText } from './tool-call-arguments.ts';
import { withoutNulls } from './without-nulls.ts';

/**
 * A batch line's chat completion as the answer a non-streamed real-time call of the same
 * request gives: its text, reasoning, tool calls, usage with details, payload and model.
 */
export function chatCompletionAnswer(
  completion: ChatCompletion,
  providerModel: string,
): ProviderBatchAnswer {
  const message = completion.choices[0]?.message;
  const reasoning = reasoningText(message);
  return {
    text: message?.content ?? '',
    ...(reasoning ? { reasoning } : {}),
    toolCalls: (message?.tool_calls ?? []).map(completedToolCall),
    usage: chatUsage(completion.usage),
    json: withoutNulls(completion),
    ...(completion.model !== providerModel ? { resolvedModel: completion.model } : {}),
  };
}

/** Chat Completions' usage as llmq's (tokens in and out, the other non-zero fields as details). */
export function chatUsage(usage: ChatCompletion['usage'] | null | undefined): Usage {
  if (!usage) return { input: null, output: null, details: null };
  const { prompt_tokens, completion_tokens, total_tokens: _total, ...rest } = usage;
  return {
    input: prompt_tokens,
    output: completion_tokens,
    details: nonZeroUsageDetails(rest as Record<string, unknown>),
  };
}

/** A call of a whole answer, as the non-streamed path reads it: only functions are ever sent. */
function completedToolCall(call: ChatCompletionMessageToolCall) {
  if (call.type !== 'function') {
    throw new ModelError(`The model made a ${call.type} tool call; only functions are sent`, {
      retryable: false,
    });
  }
  return toolCallFromText(call.id, call.function.name, call.function.arguments);
}
