import type { Attachment, Message } from '@llmq/core';
import { messageAttachments, messageText, messageToolCalls, messageToolResults } from '@llmq/core';
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

/**
 * The Chat Completions messages for a prompt's chain, mapped as llm's OpenAI plugin maps them:
 * a user message with attachments becomes content parts (its text first), images as
 * `image_url` (the URL when there is one, else a `data:` URL), audio as base64 `input_audio`.
 * An assistant's tool calls go in its `tool_calls` (its content null when it said nothing, as
 * OpenAI sends such turns), each tool result in a `tool` message of its own naming the call.
 */
export async function buildChatMessages(
  messages: readonly Message[],
  signal?: AbortSignal,
): Promise<ChatCompletionMessageParam[]> {
  const built: ChatCompletionMessageParam[] = [];
  for (const message of messages) {
    const text = messageText(message);
    if (message.role === 'system') {
      built.push({ role: 'system', content: text });
    } else if (message.role === 'assistant') {
      const calls = messageToolCalls(message);
      if (calls.length === 0) {
        built.push({ role: 'assistant', content: text });
        continue;
      }
      built.push({
        role: 'assistant',
        content: text || null,
        tool_calls: calls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: JSON.stringify(call.arguments) },
        })),
      });
    } else if (message.role === 'tool') {
      // A failed tool's output already says so (as llm's chains write it), so only it is sent.
      for (const result of messageToolResults(message)) {
        built.push({ role: 'tool', tool_call_id: result.toolCallId, content: result.output });
      }
    } else {
      const attachments = messageAttachments(message);
      if (attachments.length === 0) {
        built.push({ role: 'user', content: text });
        continue;
      }
      const parts: ChatCompletionContentPart[] = text ? [{ type: 'text', text }] : [];
      for (const attachment of attachments) parts.push(await attachmentPart(attachment, signal));
      built.push({ role: 'user', content: parts });
    }
  }
  return built;
}

async function attachmentPart(
  attachment: Attachment,
  signal?: AbortSignal,
): Promise<ChatCompletionContentPart> {
  const type = await attachment.resolveType(signal);
  if (type.startsWith('audio/')) {
    return {
      type: 'input_audio',
      input_audio: {
        data: await attachment.base64Content(signal),
        format: type === 'audio/wav' ? 'wav' : 'mp3',
      },
    };
  }
  const url = attachment.url ?? `data:${type};base64,${await attachment.base64Content(signal)}`;
  return { type: 'image_url', image_url: { url } };
}
