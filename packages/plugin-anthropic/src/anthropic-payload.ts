import type { Message } from '@anthropic-ai/sdk/resources/messages';

/** A content block as kept in the stored payload: Anthropic's own fields. */
export type PayloadBlock =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'thinking'; readonly thinking: string; readonly signature: string }
  | { readonly type: 'redacted_thinking'; readonly data: string }
  | {
      readonly type: 'tool_use';
      readonly id: string;
      readonly name: string;
      /** An object from Anthropic; the raw text when a streamed input was not JSON. */
      readonly input: unknown;
    }
  | { readonly type: string; readonly [field: string]: unknown };

/**
 * What a turn stores as its `json()`, the same whether streamed or not: the message's id, model,
 * content blocks (thinking with its signature, which the next turn sends back; text; tool
 * calls), stop reason and usage. The engine gives it back as the turn's `providerData`.
 */
export interface AnthropicPayload {
  readonly id: string;
  readonly model: string;
  readonly role: 'assistant';
  readonly content: readonly PayloadBlock[];
  readonly stop_reason: string | null;
  readonly stop_sequence: string | null;
  readonly usage: Readonly<Record<string, unknown>>;
}

/** The stored payload of a whole (not streamed) answer. */
export function payloadOfMessage(message: Message): AnthropicPayload {
  return {
    id: message.id,
    model: message.model,
    role: 'assistant',
    content: message.content as unknown as PayloadBlock[],
    stop_reason: message.stop_reason,
    stop_sequence: message.stop_sequence,
    usage: message.usage as unknown as Record<string, unknown>,
  };
}
