import type { Attachment } from './attachment.ts';

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

export type Part = TextPart | AttachmentPart | ReasoningPart;

export type Role = 'system' | 'user' | 'assistant';

/** One message of a model's input chain, like llm's `Message`: a role and ordered parts. */
export interface Message {
  readonly role: Role;
  readonly parts: readonly Part[];
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

export function assistantMessage(text: string): Message {
  return { role: 'assistant', parts: [{ type: 'text', text }] };
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
