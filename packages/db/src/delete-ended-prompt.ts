import { and, eq, inArray, isNull, notExists, or } from 'drizzle-orm';
import type { Database } from './database.ts';
import { hasLaterTurn } from './has-later-turn.ts';
import { conversations, type ResponseRow, responses, webhookDeliveries } from './schema.ts';

export type PromptDeletion =
  | { readonly outcome: 'deleted'; readonly prompt: ResponseRow }
  /** Later turns of its conversation replay it (seen under the conversation's lock). */
  | { readonly outcome: 'later-turns'; readonly conversationId: string }
  /** No such prompt could be deleted: it does not exist, has not ended, or is a batch's. */
  | { readonly outcome: 'not-deletable' };

/**
 * Delete a prompt that has ended and belongs to no batch, with its chain's later steps: the rows
 * go (their tool results and attachment links cascade), the webhook deliveries about them (their
 * payload copies the answer), and the conversation too once no turn is left in it. Attachment
 * rows stay: they describe stored bytes other prompts may share. The conversation row is locked
 * first and later turns are looked for under that lock: a new turn (whose insert waits on the
 * same row) either committed before and refuses the delete, or comes after it.
 */
export async function deleteEndedPrompt(db: Database, id: string): Promise<PromptDeletion> {
  return db.transaction(async (tx) => {
    const [found] = await tx
      .select({ conversationId: responses.conversationId, chainId: responses.chainId })
      .from(responses)
      .where(eq(responses.id, id));
    if (!found) return { outcome: 'not-deletable' };
    if (found.conversationId) {
      await tx
        .select({ id: conversations.id })
        .from(conversations)
        .where(eq(conversations.id, found.conversationId))
        .for('update');
      if (await hasLaterTurn(tx, found.conversationId, { id, chainId: found.chainId })) {
        return { outcome: 'later-turns', conversationId: found.conversationId };
      }
    }
    const [removed] = await tx
      .delete(responses)
      .where(
        and(
          eq(responses.id, id),
          isNull(responses.batchId),
          inArray(responses.status, ['succeeded', 'failed', 'cancelled']),
          or(isNull(responses.chainId), eq(responses.chainId, id)),
        ),
      )
      .returning();
    if (!removed) return { outcome: 'not-deletable' };
    const removedIds = [id];
    if (removed.chainId === id) {
      const steps = await tx
        .delete(responses)
        .where(eq(responses.chainId, id))
        .returning({ id: responses.id });
      removedIds.push(...steps.map((step) => step.id));
    }
    await tx.delete(webhookDeliveries).where(inArray(webhookDeliveries.subjectId, removedIds));
    if (removed.conversationId) {
      await tx
        .delete(conversations)
        .where(
          and(
            eq(conversations.id, removed.conversationId),
            notExists(
              tx
                .select({ id: responses.id })
                .from(responses)
                .where(eq(responses.conversationId, removed.conversationId)),
            ),
          ),
        );
    }
    return { outcome: 'deleted', prompt: removed };
  });
}
