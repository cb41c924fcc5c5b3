import type { PromptAttachmentInput } from '@llmq/contracts';
import type { ChatTurn } from '@llmq/engine';
import { ChatMappingError, type ChatMessage, textOf, type UserPart } from './chat-request.ts';

/** A chat's messages as llmq sees them: one system prompt, the earlier turns, this prompt. */
export interface ChatTurns {
  readonly system: string | undefined;
  readonly history: ChatTurn[];
  readonly prompt: string;
  readonly attachments: PromptAttachmentInput[];
}

/** Finds the attachment behind a file id uploaded through `/files`. */
export type FileAttachmentLookup = (fileId: string) => Promise<string | undefined>;

const audioTypes = { wav: 'audio/wav', mp3: 'audio/mpeg' } as const;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const dataUrl = /^data:([\w.+-]+\/[\w.+-]+)?(?:;[\w-]+=[^;,]*)*;base64,(.*)$/s;

/**
 * Split OpenAI messages into llmq's shape: system and developer messages make the system
 * prompt; each user message (several in a row join) followed by an assistant message is an
 * earlier turn; the last message, which must be the user's, is the prompt. Images, audio and
 * files become attachments: `data:` URLs and base64 audio stored, http(s) URLs fetched.
 */
export async function chatTurns(
  messages: readonly ChatMessage[],
  fileAttachment: FileAttachmentLookup,
): Promise<ChatTurns> {
  const systems: string[] = [];
  const history: ChatTurn[] = [];
  let texts: string[] = [];
  let attachments: PromptAttachmentInput[] = [];
  let pendingUser = false;
  for (const [index, message] of messages.entries()) {
    if (message.role === 'system' || message.role === 'developer') {
      systems.push(textOf(message.content));
    } else if (message.role === 'user') {
      const parts: UserPart[] =
        typeof message.content === 'string'
          ? [{ type: 'text', text: message.content }]
          : message.content;
      const userTexts: string[] = [];
      for (const [partIndex, part] of parts.entries()) {
        const param = `messages[${index}].content[${partIndex}]`;
        if (part.type === 'text') userTexts.push(part.text);
        else attachments.push(await attachmentOf(part, param, fileAttachment));
      }
      if (userTexts.length > 0) texts.push(userTexts.join('\n'));
      pendingUser = true;
    } else if (message.role === 'assistant') {
      const response = textOf(message.content);
      const previous = history.at(-1);
      if (!pendingUser && previous) {
        history[history.length - 1] = {
          ...previous,
          response: `${previous.response}\n\n${response}`,
        };
      } else {
        history.push({ prompt: texts.join('\n\n'), attachments, response });
      }
      texts = [];
      attachments = [];
      pendingUser = false;
    }
  }
  if (!pendingUser) {
    throw new ChatMappingError(
      'The last message must be a user message: it is what the model is asked to answer',
      'messages',
    );
  }
  return {
    system: systems.length > 0 ? systems.join('\n\n') : undefined,
    history,
    prompt: texts.join('\n\n'),
    attachments,
  };
}

async function attachmentOf(
  part: Exclude<UserPart, { type: 'text' }>,
  param: string,
  fileAttachment: FileAttachmentLookup,
): Promise<PromptAttachmentInput> {
  if (part.type === 'input_audio') {
    const content = part.input_audio.data.replace(/\s/g, '');
    if (!base64.test(content)) {
      throw new ChatMappingError('input_audio.data must be base64', `${param}.input_audio.data`);
    }
    return { content, type: audioTypes[part.input_audio.format] };
  }
  if (part.type === 'file') {
    if (part.file.file_id !== undefined) {
      const id = await fileAttachment(part.file.file_id);
      if (!id) {
        throw new ChatMappingError(
          `No file has the id ${part.file.file_id}; upload it with POST /openai/v1/files first`,
          `${param}.file.file_id`,
        );
      }
      return { id };
    }
    return inlineData(part.file.file_data as string, `${param}.file.file_data`);
  }
  const url = part.image_url.url;
  if (url.startsWith('data:')) return inlineData(url, `${param}.image_url.url`);
  if (!/^https?:\/\//i.test(url)) {
    throw new ChatMappingError(
      'An image URL must be http(s) or a data: URL with base64 content',
      `${param}.image_url.url`,
    );
  }
  return { url };
}

function inlineData(url: string, param: string): PromptAttachmentInput {
  const match = dataUrl.exec(url);
  const content = match?.[2]?.replace(/\s/g, '') ?? '';
  if (!match || !base64.test(content)) {
    throw new ChatMappingError(
      'A data: URL must be base64, like data:image/png;base64,iVBORw0…',
      param,
    );
  }
  return match[1] ? { content, type: match[1] } : { content };
}
