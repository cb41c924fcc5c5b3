import type {
  ContentBlockParam,
  DocumentBlockParam,
  ImageBlockParam,
  MessageParam,
  TextBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import {
  type Attachment,
  type Message,
  messageAttachments,
  messageText,
  messageToolCalls,
  messageToolResults,
} from '@llmq/core';
import { storedThinkingBlocks } from './stored-thinking-blocks.ts';

type ImageMediaType = 'image/jpeg' | 'image/png' | 'image/gif' | 'image/webp';

export interface AnthropicInput {
  /** The system prompt: Anthropic takes it beside the messages, not as one. */
  readonly system: string | TextBlockParam[] | undefined;
  readonly messages: MessageParam[];
}

export interface AnthropicInputOptions {
  /** Send each assistant turn's stored thinking blocks back before its content. */
  readonly replayThinking: boolean;
  /** Prompt caching: `cache_control` on the system prompt and the last user message's last block. */
  readonly cache: boolean;
  readonly signal?: AbortSignal | undefined;
}

const ephemeral = { type: 'ephemeral' } as const;

/**
 * The Messages API input for a prompt's chain, mapped as llm-anthropic maps it: system
 * messages become `system`; a user turn its attachments (images as `image` blocks, PDFs as
 * `document` blocks, base64, or by URL when the bytes are not at hand) before its text, as Anthropic advises;
 * an assistant turn its stored thinking blocks (when asked), its text, then a `tool_use` block
 * per call; tool results a user turn of `tool_result` blocks (`is_error` when the tool failed).
 * Consecutive turns of one role are merged into one message, as Anthropic requires the roles to
 * alternate (a turn's results and its next prompt are one user message). A message whose only
 * block is uncached text is sent as a string.
 */
export async function buildAnthropicInput(
  messages: readonly Message[],
  options: AnthropicInputOptions,
): Promise<AnthropicInput> {
  const systemTexts: string[] = [];
  const built: { role: 'user' | 'assistant'; content: ContentBlockParam[] }[] = [];
  const append = (role: 'user' | 'assistant', blocks: ContentBlockParam[]) => {
    if (blocks.length === 0) return;
    const last = built.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else built.push({ role, content: blocks });
  };
  for (const message of messages) {
    const text = messageText(message);
    if (message.role === 'system') {
      if (text) systemTexts.push(text);
    } else if (message.role === 'assistant') {
      append('assistant', assistantBlocks(message, text, options.replayThinking));
    } else if (message.role === 'tool') {
      append(
        'user',
        messageToolResults(message).map((result) => ({
          type: 'tool_result',
          tool_use_id: result.toolCallId,
          content: result.output,
          ...(result.exception === undefined ? {} : { is_error: true }),
        })),
      );
    } else {
      const blocks: ContentBlockParam[] = [];
      for (const attachment of messageAttachments(message)) {
        blocks.push(await attachmentBlock(attachment, options.signal));
      }
      // Anthropic refuses an empty text block.
      if (text) blocks.push({ type: 'text', text });
      append('user', blocks);
    }
  }
  if (options.cache) {
    const lastUser = built.findLast((message) => message.role === 'user');
    const lastBlock = lastUser?.content.at(-1);
    if (lastBlock) Object.assign(lastBlock, { cache_control: ephemeral });
  }
  const system = systemTexts.length > 0 ? systemTexts.join('\n\n') : undefined;
  return {
    system:
      system !== undefined && options.cache
        ? [{ type: 'text', text: system, cache_control: ephemeral }]
        : system,
    messages: built.map(({ role, content }) => ({ role, content: compact(content) })),
  };
}

function assistantBlocks(message: Message, text: string, replayThinking: boolean) {
  const blocks: ContentBlockParam[] = replayThinking
    ? storedThinkingBlocks(message.providerData)
    : [];
  if (text) blocks.push({ type: 'text', text });
  for (const call of messageToolCalls(message)) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: call.arguments });
  }
  return blocks;
}

/** A lone text block without cache control as the plain string Anthropic also takes. */
function compact(content: ContentBlockParam[]): string | ContentBlockParam[] {
  const [only] = content;
  if (content.length === 1 && only?.type === 'text' && only.cache_control === undefined) {
    return only.text;
  }
  return content;
}

/**
 * The URL to send instead of the bytes: only for an attachment whose bytes are not at hand. A
 * stored attachment goes as the bytes the blob store keeps, which Anthropic need not fetch.
 */
function byUrl(attachment: Attachment): string | undefined {
  return attachment.content === undefined ? attachment.url : undefined;
}

async function attachmentBlock(
  attachment: Attachment,
  signal?: AbortSignal,
): Promise<ImageBlockParam | DocumentBlockParam> {
  const type = await attachment.resolveType(signal);
  const url = byUrl(attachment);
  if (type === 'application/pdf') {
    return {
      type: 'document',
      source: url
        ? { type: 'url', url }
        : {
            type: 'base64',
            media_type: 'application/pdf',
            data: await attachment.base64Content(signal),
          },
    };
  }
  return {
    type: 'image',
    source: url
      ? { type: 'url', url }
      : {
          type: 'base64',
          // The model's attachment types admit only the four image types Anthropic reads.
          media_type: type as ImageMediaType,
          data: await attachment.base64Content(signal),
        },
  };
}
