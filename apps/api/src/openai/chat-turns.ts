import type { PromptAttachmentInput, ToolResultInput } from '@llmq/contracts';
import type { ChatTurn } from '@llmq/engine';
import { assistantToolCalls } from './assistant-tool-calls.ts';
import { ChatMappingError } from './chat-mapping-error.ts';
import { type ChatMessage, textOf, type UserPart } from './chat-request.ts';

/** A chat's messages as llmq sees them: one system prompt, the earlier turns, this prompt. */
export interface ChatTurns {
  readonly system: string | undefined;
  readonly history: ChatTurn[];
  readonly prompt: string;
  readonly attachments: PromptAttachmentInput[];
  /** The tool messages after the last assistant message: this prompt's answers to its calls. */
  readonly toolResults: ToolResultInput[];
}

/** Finds the attachment behind a file id uploaded through `/files`. */
export type FileAttachmentLookup = (fileId: string) => Promise<string | undefined>;

const audioTypes = { wav: 'audio/wav', mp3: 'audio/mpeg' } as const;
const base64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=|[A-Za-z0-9+/]{4})$/;
const dataUrl = /^data:([\w.+-]+\/[\w.+-]+)?(?:;[\w-]+=[^;,]*)*;base64,(.*)$/s;

/** The calls of an assistant message that tool messages have still to answer. */
interface UnansweredCalls {
  readonly index: number;
  readonly ids: Set<string>;
}

/**
 * Split OpenAI messages into llmq's shape: system and developer messages make the system
 * prompt; what the model is given (user messages, several in a row joining, and tool messages
 * answering the calls of the assistant message before) followed by an assistant message, its
 * text and its calls, is an earlier turn; what follows the last assistant message is the
 * prompt, its tool messages the prompt's tool results. As OpenAI, an assistant's calls must
 * each be answered by a tool message before the next user or assistant message, and a tool
 * message must answer one of them. Images, audio and files become attachments: `data:` URLs
 * and base64 audio stored, http(s) URLs fetched.
 */
export async function chatTurns(
  messages: readonly ChatMessage[],
  fileAttachment: FileAttachmentLookup,
): Promise<ChatTurns> {
  const systems: string[] = [];
  const history: ChatTurn[] = [];
  let texts: string[] = [];
  let attachments: PromptAttachmentInput[] = [];
  let toolResults: ToolResultInput[] = [];
  let pendingInput = false;
  let unanswered: UnansweredCalls | undefined;
  for (const [index, message] of messages.entries()) {
    if (message.role === 'system' || message.role === 'developer') {
      systems.push(textOf(message.content));
    } else if (message.role === 'user') {
      requireAnswered(unanswered);
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
      pendingInput = true;
    } else if (message.role === 'tool') {
      if (!unanswered?.ids.delete(message.tool_call_id)) {
        throw new ChatMappingError(
          `Message ${index} (role tool) answers tool call ${message.tool_call_id}, which is not an unanswered call of the assistant message before it: a tool message must answer a call of a preceding assistant message's tool_calls`,
          `messages[${index}].tool_call_id`,
        );
      }
      toolResults.push({ tool_call_id: message.tool_call_id, output: textOf(message.content) });
      pendingInput = true;
    } else if (message.role === 'assistant') {
      requireAnswered(unanswered);
      const response = textOf(message.content);
      const calls = assistantToolCalls(message.tool_calls ?? [], index);
      const toolCalls = calls.length > 0 ? calls : undefined;
      const previous = history.at(-1);
      if (!pendingInput && previous) {
        // The previous turn's calls, if any, were answered: only a prompt follows them here.
        history[history.length - 1] = {
          ...previous,
          response: [previous.response, response].filter(Boolean).join('\n\n'),
          toolCalls,
        };
      } else {
        history.push({
          prompt: texts.join('\n\n'),
          attachments,
          response,
          ...(toolResults.length > 0 ? { toolResults } : {}),
          ...(toolCalls ? { toolCalls } : {}),
        });
      }
      texts = [];
      attachments = [];
      toolResults = [];
      pendingInput = false;
      unanswered = toolCalls ? { index, ids: new Set(calls.map((call) => call.id)) } : undefined;
    }
  }
  requireAnswered(unanswered);
  if (!pendingInput) {
    throw new ChatMappingError(
      'The last message must be a user message or tool messages: it is what the model is asked to answer',
      'messages',
    );
  }
  return {
    system: systems.length > 0 ? systems.join('\n\n') : undefined,
    history,
    prompt: texts.join('\n\n'),
    attachments,
    toolResults,
  };
}

/** OpenAI's rule: an assistant's tool calls are each answered before the chat goes on. */
function requireAnswered(unanswered: UnansweredCalls | undefined): void {
  if (!unanswered || unanswered.ids.size === 0) return;
  throw new ChatMappingError(
    `An assistant message with tool_calls must be followed by tool messages answering each tool_call_id; message ${unanswered.index} has no answer for: ${[...unanswered.ids].join(', ')}`,
    `messages[${unanswered.index}].tool_calls`,
  );
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
