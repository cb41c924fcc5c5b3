import { eq } from 'drizzle-orm';
import { grantAttachments } from './attachment-access.ts';
import type { NewAttachment } from './create-queued-prompt.ts';
import type { Database } from './database.ts';
import { attachments, conversations, promptAttachments, responses } from './schema.ts';

export interface PastTurn {
  readonly id: string;
  readonly prompt: string;
  readonly attachments: readonly NewAttachment[];
  readonly response: string;
}

export interface PastConversation {
  readonly conversationId: string;
  readonly name: string | null;
  readonly model: string;
  readonly system: string | null;
  readonly owner: string | null;
  readonly turns: readonly PastTurn[];
}

/**
 * Record turns that happened elsewhere (a chat history sent whole, as OpenAI clients do) as a
 * conversation of succeeded turns, so the next prompt replays them like any conversation.
 */
export async function recordPastTurns(db: Database, conversation: PastConversation): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.insert(conversations).values({
      id: conversation.conversationId,
      name: conversation.name,
      model: conversation.model,
      owner: conversation.owner,
    });
    const all = conversation.turns.flatMap((turn) => turn.attachments);
    if (all.length > 0) {
      await tx
        .insert(attachments)
        .values(all.map((attachment) => ({ ...attachment, url: attachment.url ?? null })))
        .onConflictDoNothing();
      await grantAttachments(
        tx,
        all.map((attachment) => attachment.id),
        conversation.owner,
      );
    }
    for (const [index, turn] of conversation.turns.entries()) {
      await tx.insert(responses).values({
        id: turn.id,
        conversationId: conversation.conversationId,
        model: conversation.model,
        prompt: turn.prompt,
        system: index === 0 ? conversation.system : null,
        response: turn.response,
        status: 'succeeded',
        owner: conversation.owner,
      });
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
  });
}

/** Undo `recordPastTurns` when the prompt that was to follow them could not be queued. */
export async function discardPastTurns(db: Database, conversationId: string): Promise<void> {
  await db.transaction(async (tx) => {
    await tx.delete(responses).where(eq(responses.conversationId, conversationId));
    await tx.delete(conversations).where(eq(conversations.id, conversationId));
  });
}
