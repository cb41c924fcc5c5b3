import { and, eq, inArray, isNull, notExists, or } from 'drizzle-orm';
import type { Database } from './database.ts';
import { conversations, type ResponseRow, responses } from './schema.ts';

/**
 * Delete a prompt that has ended and belongs to no batch, with its chain's later steps: the rows
 * go (their tool results and attachment links cascade), and the conversation too once no turn
 * is left in it. Attachment rows stay: they describe stored bytes other prompts may share.
 * Returns the deleted prompt's row, or undefined when no such prompt could be deleted (it does
 * not exist, has not ended, or is a batch's).
 */
export async function deleteEndedPrompt(
  db: Database,
  id: string,
): Promise<ResponseRow | undefined> {
  return db.transaction(async (tx) => {
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
    if (!removed) return undefined;
    if (removed.chainId === id) await tx.delete(responses).where(eq(responses.chainId, id));
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
    return removed;
  });
}
