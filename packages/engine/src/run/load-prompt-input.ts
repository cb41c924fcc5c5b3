import { buffer } from 'node:stream/consumers';
import {
  Attachment,
  assistantMessage,
  type Message,
  systemMessage,
  type ToolResult,
  toolMessage,
  userMessage,
} from '@llmq/core';
import {
  type AttachmentRow,
  type ConversationTurn,
  type Database,
  getConversationHistory,
  type PromptWithAttachments,
  type ToolResultRow,
} from '@llmq/db';
import type { BlobStore } from '@llmq/storage';

export interface PromptInput {
  readonly attachments: Attachment[];
  readonly history: Message[];
  /** The turn before this prompt, whose tool calls this prompt's results answer. */
  readonly lastTurn: ConversationTurn | undefined;
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
  /** Attachments already read, by id: a chain's steps share one, each file read once. */
  cache = new Map<string, Promise<Attachment>>(),
): Promise<PromptInput> {
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
  let lastTurn: ConversationTurn | undefined;
  // A conversation whose id is this prompt's own began with it (submitPrompt): no turn came
  // before, and the run skips the read.
  if (prompt.conversationId && prompt.conversationId !== prompt.id) {
    // A chain's step also replays the steps before it, though the chain has not ended.
    const turns = await getConversationHistory(db, prompt.conversationId, prompt);
    const firstSystem = turns[0]?.system;
    if (firstSystem) history.push(systemMessage(firstSystem));
    for (const turn of turns) {
      const turnAttachments = await Promise.all(turn.attachments.map(load));
      // A turn that carried tool results sends them first; its user message only if it said
      // something (a chain's later steps say nothing), as llm's plugins build the chain.
      if (turn.toolResults.length > 0) {
        history.push(toolMessage(turn.toolResults.map(toolResultOf)));
        if (turn.prompt || turnAttachments.length > 0) {
          history.push(userMessage(turn.prompt, turnAttachments));
        }
      } else {
        history.push(userMessage(turn.prompt, turnAttachments));
      }
      history.push(assistantMessage(turn.response ?? '', turn.toolCalls ?? [], turn.responseJson));
    }
    lastTurn = turns.at(-1);
  }
  return { attachments, history, lastTurn };
}

/** A stored result as the model is given it. */
export function toolResultOf(row: ToolResultRow): ToolResult {
  return row.exception === null
    ? { toolCallId: row.toolCallId, name: row.name, output: row.output }
    : { toolCallId: row.toolCallId, name: row.name, output: row.output, exception: row.exception };
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
