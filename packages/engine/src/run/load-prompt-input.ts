import { buffer } from 'node:stream/consumers';
import { Attachment, assistantMessage, type Message, systemMessage, userMessage } from '@llmq/core';
import {
  type AttachmentRow,
  type Database,
  getConversationHistory,
  type PromptWithAttachments,
} from '@llmq/db';
import type { BlobStore } from '@llmq/storage';

export interface PromptInput {
  readonly attachments: Attachment[];
  readonly history: Message[];
}

/**
 * The attachments (bytes from the blob store, so a deleted local file never breaks a replay,
 * llm #1135) and the earlier turns of the conversation as messages, each turn's attachments
 * in its user message. The first turn's system prompt seeds the history.
 */
export async function loadPromptInput(
  db: Database,
  blobs: BlobStore,
  prompt: PromptWithAttachments,
  signal: AbortSignal,
): Promise<PromptInput> {
  const cache = new Map<string, Promise<Attachment>>();
  const load = (row: AttachmentRow) => {
    let attachment = cache.get(row.id);
    if (!attachment) {
      attachment = loadAttachment(blobs, row, signal);
      cache.set(row.id, attachment);
    }
    return attachment;
  };
  const attachments = await Promise.all(prompt.attachments.map(load));
  const history: Message[] = [];
  if (prompt.conversationId) {
    const turns = await getConversationHistory(db, prompt.conversationId, prompt.id);
    const firstSystem = turns[0]?.system;
    if (firstSystem) history.push(systemMessage(firstSystem));
    for (const turn of turns) {
      history.push(userMessage(turn.prompt, await Promise.all(turn.attachments.map(load))));
      history.push(assistantMessage(turn.response ?? ''));
    }
  }
  return { attachments, history };
}

async function loadAttachment(
  blobs: BlobStore,
  row: AttachmentRow,
  signal: AbortSignal,
): Promise<Attachment> {
  signal.throwIfAborted();
  const { stream } = await blobs.get(row.id);
  const content = new Uint8Array(await buffer(stream));
  return new Attachment({ id: row.id, type: row.type, content, url: row.url ?? undefined });
}

/** The chain the model received, without bytes: roles, text and attachment ids. */
export async function describeMessages(messages: readonly Message[]): Promise<unknown[]> {
  const described: unknown[] = [];
  for (const message of messages) {
    const parts: unknown[] = [];
    for (const part of message.parts) {
      if (part.type === 'attachment') {
        parts.push({
          type: 'attachment',
          id: await part.attachment.id(),
          mime: await part.attachment.resolveType(),
        });
      } else {
        parts.push(part);
      }
    }
    described.push({ role: message.role, parts });
  }
  return described;
}
