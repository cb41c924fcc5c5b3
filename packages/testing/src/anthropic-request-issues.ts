import { signThinking } from './anthropic-thinking-signature.ts';

/** The fields of a Messages API request the local server reads. */
export interface AnthropicMessagesRequest {
  readonly model?: unknown;
  readonly max_tokens?: unknown;
  readonly stream?: unknown;
  readonly system?: unknown;
  readonly messages?: unknown;
  readonly tools?: unknown;
  readonly tool_choice?: unknown;
  readonly thinking?: { readonly type?: unknown; readonly budget_tokens?: unknown };
  readonly output_config?: {
    readonly format?: { readonly type?: unknown; readonly schema?: unknown };
  };
  readonly [field: string]: unknown;
}

export interface AnthropicContentBlock {
  readonly type?: unknown;
  readonly text?: unknown;
  readonly thinking?: unknown;
  readonly signature?: unknown;
  readonly id?: unknown;
  readonly name?: unknown;
  readonly input?: unknown;
  readonly tool_use_id?: unknown;
  readonly content?: unknown;
  readonly source?: {
    readonly type?: unknown;
    readonly media_type?: unknown;
    readonly data?: unknown;
  };
}

export interface AnthropicMessageParam {
  readonly role?: unknown;
  readonly content?: unknown;
}

const imageTypes = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'];

/** A message's content as blocks: a string is one text block, as Anthropic reads it. */
export function contentBlocks(content: unknown): AnthropicContentBlock[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return Array.isArray(content) ? (content as AnthropicContentBlock[]) : [];
}

/**
 * What Anthropic answers 400 (`invalid_request_error`) to, in its words, among what the server
 * can cheaply see: a missing model or `max_tokens`, no messages, a role other than user or
 * assistant (a `system` message named as such), an empty text block, an image type Anthropic
 * does not read, a `tool_result` that answers no `tool_use` of the message before, a
 * `tool_choice` without tools, a thinking budget under 1,024 or not under `max_tokens`, and a
 * thinking block sent back with a signature the server did not give it.
 */
export function anthropicRequestIssue(request: AnthropicMessagesRequest): string | undefined {
  if (typeof request.model !== 'string' || request.model === '') return 'model: Field required';
  if (request.max_tokens === undefined) return 'max_tokens: Field required';
  if (!Number.isInteger(request.max_tokens) || (request.max_tokens as number) < 1) {
    return 'max_tokens: Input should be a valid integer greater than or equal to 1';
  }
  const messages = Array.isArray(request.messages)
    ? (request.messages as AnthropicMessageParam[])
    : [];
  if (messages.length === 0) return 'messages: at least one message is required';
  const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
  if (request.tool_choice !== undefined && !hasTools) {
    return 'tool_choice may only be specified while providing tools.';
  }
  const thinking = request.thinking;
  if (thinking?.type === 'enabled') {
    const budget = thinking.budget_tokens;
    if (!Number.isInteger(budget) || (budget as number) < 1024) {
      return 'thinking.enabled.budget_tokens: Input should be greater than or equal to 1024';
    }
    if ((budget as number) >= (request.max_tokens as number)) {
      return '`max_tokens` must be greater than `thinking.budget_tokens`.';
    }
  }
  let previousToolUses = new Set<unknown>();
  for (const [at, message] of messages.entries()) {
    if (message.role === 'system') {
      return 'messages: Unexpected role "system". The Messages API accepts a top-level `system` parameter, not "system" as an input message role.';
    }
    if (message.role !== 'user' && message.role !== 'assistant') {
      return `messages.${at}.role: Input should be 'user' or 'assistant'`;
    }
    const blocks = contentBlocks(message.content);
    for (const [index, block] of blocks.entries()) {
      const where = `messages.${at}.content.${index}`;
      const issue = blockIssue(block, where, message.role, previousToolUses);
      if (issue) return issue;
    }
    previousToolUses = new Set(
      message.role === 'assistant'
        ? blocks.filter((block) => block.type === 'tool_use').map((block) => block.id)
        : [],
    );
  }
  return undefined;
}

function blockIssue(
  block: AnthropicContentBlock,
  where: string,
  role: unknown,
  previousToolUses: ReadonlySet<unknown>,
): string | undefined {
  if (block.type === 'text' && (typeof block.text !== 'string' || block.text === '')) {
    return `${where}.text: text content blocks must be non-empty`;
  }
  if (block.type === 'image' && block.source?.type === 'base64') {
    if (!imageTypes.includes(String(block.source.media_type))) {
      return `${where}.image.source.base64.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'`;
    }
  }
  if (block.type === 'tool_result') {
    if (role !== 'user' || !previousToolUses.has(block.tool_use_id)) {
      return `${where}: unexpected \`tool_use_id\` found in \`tool_result\` blocks: ${String(block.tool_use_id)}. Each \`tool_result\` block must have a corresponding \`tool_use\` block in the previous message.`;
    }
  }
  if (block.type === 'thinking') {
    if (typeof block.thinking !== 'string' || block.signature !== signThinking(block.thinking)) {
      return `${where}: Invalid \`signature\` in \`thinking\` block`;
    }
  }
  return undefined;
}
