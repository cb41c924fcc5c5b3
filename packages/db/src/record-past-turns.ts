import { eq } from 'drizzle-orm';
import { grantAttachments } from './attachment-access.ts';
import type { NewToolResult } from './chain-steps.ts';
import type { NewAttachment } from './create-queued-prompt.ts';
import type { Database, DatabaseExecutor } from './database.ts';
import {
  attachments,
  conversations,
  promptAttachments,
  responses,
  type StoredToolCall,
  toolResults,
} from './schema.ts';

/** A turn that happened elsewhere: a chat history sent whole, as OpenAI clients send it. */
export interface PastTurn {
  readonly id: string;
  readonly prompt: string;
  readonly attachments: readonly NewAttachment[];
  readonly response: string;
  /** The tools the model called in its answer. */
  readonly toolCalls?: readonly StoredToolCall[] | undefined;
  /** The results the turn's prompt carried, answering the turn before's calls. */
  readonly toolResults?: readonly NewToolResult[] | undefined;
  /** What the model's plugin stored of the answer, when the turn was copied from llmq's own. */
  readonly responseJson?: unknown;
}

export interface PastTurns {
  readonly conversationId: string;
  readonly model: string;
  /** The system prompt, kept on the first turn (where replays take it from). */
  readonly system: string | null;
  readonly owner: string | null;
  readonly turns: readonly PastTurn[];
}

/**
 * Write past turns as succeeded turns of a conversation that exists (inside the transaction
 * that creates it), so the prompt that follows replays them like any conversation.
 */
export async function insertPastTurns(tx: DatabaseExecutor, past: PastTurns): Promise<void> {
  const all = past.turns.flatMap((turn) => turn.attachments);
  if (all.length > 0) {
    await tx
      .insert(attachments)
      .values(all.map((attachment) => ({ ...attachment, url: attachment.url ?? null })))
      .onConflictDoNothing();
    await grantAttachments(
      tx,
      all.map((attachment) => attachment.id),
      past.owner,
    );
  }
  for (const [index, turn] of past.turns.entries()) {
    await tx.insert(responses).values({
      id: turn.id,
      conversationId: past.conversationId,
      model: past.model,
      prompt: turn.prompt,
      system: index === 0 ? past.system : null,
      response: turn.response,
      responseJson: turn.responseJson ?? null,
      status: 'succeeded',
      owner: past.owner,
      // A turn of a chat with tools carries `[]` at least, so its replay reads its results.
      ...(turn.toolCalls?.length || turn.toolResults?.length
        ? { tools: [], toolCalls: turn.toolCalls?.length ? [...turn.toolCalls] : null }
        : {}),
    });
    if (turn.toolResults?.length) {
      await tx.insert(toolResults).values(
        turn.toolResults.map((result) => ({
          responseId: turn.id,
          ...result,
          exception: result.exception ?? null,
        })),
      );
    }
    if (turn.attachments.length > 0) {
      await tx.insert(promptAttachments).values(
        turn.attachments.map((attachment, position) => ({
          responseId: turn.id,
          attachmentId: attachment.id,
          position,
        })),
      );
    }
  }
}

/** Undo a conversation written with past turns whose prompt could not be queued. */
export async function discardPastTurns(db: Database, conversationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(responses).where(eq(responses.conversationId, conversationId));
    await tx.delete(conversations).where(eq(conversations.id, conversationId));
  });
}
