import type { Attachment, Message } from '@llmq/core';
import { messageAttachments, messageText } from '@llmq/core';
import type {
  ChatCompletionContentPart,
  ChatCompletionMessageParam,
} from 'openai/resources/chat/completions';

/**
 * The Chat Completions messages for a prompt's chain, mapped as llm's OpenAI plugin maps them:
 * a user message with attachments becomes content parts (its text first), images as
 * `image_url` (the URL when there is one, else a `data:` URL), audio as base64 `input_audio`.
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
      built.push({ role: 'assistant', content: text });
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
