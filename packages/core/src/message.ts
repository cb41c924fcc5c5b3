import type { Attachment } from './attachment.ts';
import type { ToolCall, ToolResult } from './tool.ts';

export interface TextPart {
  readonly type: 'text';
  readonly text: string;
}

export interface AttachmentPart {
  readonly type: 'attachment';
  readonly attachment: Attachment;
}

export interface ReasoningPart {
  readonly type: 'reasoning';
  readonly text: string;
}

/** A call the assistant made, kept in its message so a conversation replays it. */
export interface ToolCallPart {
  readonly type: 'tool_call';
  readonly call: ToolCall;
}

/** The answer to a tool call, in a `tool` message after the assistant's. */
export interface ToolResultPart {
  readonly type: 'tool_result';
  readonly result: ToolResult;
}

export type Part = TextPart | AttachmentPart | ReasoningPart | ToolCallPart | ToolResultPart;

/** `tool` carries tool results, as OpenAI's `role: "tool"` messages and llm's tool results do. */
export type Role = 'system' | 'user' | 'assistant' | 'tool';

/** One message of a model's input chain, like llm's `Message`: a role and ordered parts. */
export interface Message {
  readonly role: Role;
  readonly parts: readonly Part[];
  /**
   * What the provider returned for an assistant turn (its plugin's `json()` payload), for the
   * plugin that made it to send back what only it understands, such as OpenAI's encrypted
   * reasoning; other plugins ignore it.
   */
  readonly providerData?: unknown;
}

export function systemMessage(text: string): Message {
  return { role: 'system', parts: [{ type: 'text', text }] };
}

/** A user message: its text (left out when empty) followed by its attachments. */
export function userMessage(text: string, attachments: readonly Attachment[] = []): Message {
  const parts: Part[] = text ? [{ type: 'text', text }] : [];
  for (const attachment of attachments) parts.push({ type: 'attachment', attachment });
  return { role: 'user', parts };
}

/**
 * An assistant message: its text, then the tools it called. The text is left out only when the
 * assistant called tools and said nothing, as a provider's tool-call turn often does.
 * `providerData` (the turn's stored `json()` payload) is kept only when there is one.
 */
export function assistantMessage(
  text: string,
  toolCalls: readonly ToolCall[] = [],
  providerData?: unknown,
): Message {
  const parts: Part[] = text || toolCalls.length === 0 ? [{ type: 'text', text }] : [];
  for (const call of toolCalls) parts.push({ type: 'tool_call', call });
  return providerData === undefined || providerData === null
    ? { role: 'assistant', parts }
    : { role: 'assistant', parts, providerData };
}

/** A `tool` message answering the assistant's tool calls, one part per result. */
export function toolMessage(results: readonly ToolResult[]): Message {
  return { role: 'tool', parts: results.map((result) => ({ type: 'tool_result', result })) };
}

/** The text parts of a message joined, without reasoning or attachments. */
export function messageText(message: Message): string {
  let text = '';
  for (const part of message.parts) if (part.type === 'text') text += part.text;
  return text;
}

/** The attachments of a message, in order. */
export function messageAttachments(message: Message): Attachment[] {
  const attachments: Attachment[] = [];
  for (const part of message.parts)
    if (part.type === 'attachment') attachments.push(part.attachment);
  return attachments;
}

/** The tool calls of a message, in order. */
export function messageToolCalls(message: Message): ToolCall[] {
  const calls: ToolCall[] = [];
  for (const part of message.parts) if (part.type === 'tool_call') calls.push(part.call);
  return calls;
}

/** The tool results of a message, in order. */
export function messageToolResults(message: Message): ToolResult[] {
  const results: ToolResult[] = [];
  for (const part of message.parts) if (part.type === 'tool_result') results.push(part.result);
  return results;
}
