import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ProviderBatchAnswer } from '@llmq/core';
import { payloadOfMessage } from './anthropic-payload.ts';
import { toolCallsOf } from './anthropic-tool-calls.ts';
import { anthropicUsage } from './anthropic-usage.ts';

/**
 * A batch result's message as the answer a non-streamed real-time call of the same request
 * gives: the text blocks' text, the thinking blocks' thinking as reasoning, tool_use blocks as
 * tool calls, usage with the cache counts as details, the stored payload (signed thinking blocks
 * included, which a later turn sends back) and the model that answered when it is another.
 * A tool input that is not an object throws the same final `ModelError` a real-time call does.
 */
export function anthropicBatchAnswer(message: Message, providerModel: string): ProviderBatchAnswer {
  const payload = payloadOfMessage(message);
  let text = '';
  let reasoning = '';
  for (const block of payload.content) {
    if (block.type === 'thinking' && typeof block.thinking === 'string')
      reasoning += block.thinking;
    else if (block.type === 'text' && typeof block.text === 'string') text += block.text;
  }
  return {
    text,
    ...(reasoning ? { reasoning } : {}),
    toolCalls: toolCallsOf(payload),
    usage: anthropicUsage(payload.usage),
    json: payload,
    ...(payload.model && payload.model !== providerModel ? { resolvedModel: payload.model } : {}),
  };
}
