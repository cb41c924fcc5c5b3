import { and, eq, inArray, notInArray } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { conversations, responses } from './schema.ts';

const endedStatuses = ['succeeded', 'failed', 'cancelled'] as const;

export type ConversationDeletion =
  | { readonly outcome: 'deleted'; readonly promptIds: readonly string[] }
  | { readonly outcome: 'not-found' }
  /** Some turns have not ended: nothing was deleted. */
  | { readonly outcome: 'unfinished'; readonly promptIds: readonly string[] };

/**
 * Delete a conversation whose every turn has ended, with all its turns (their chain steps, tool
 * results and attachment links go with them): never part of one, since a later turn replays the
 * earlier ones. The conversation row is locked first, so a turn added meanwhile either commits
 * before (and is seen, and deleted or refused) or fails on the conversation being gone.
 */
export async function deleteEndedConversation(
  db: Database,
  id: string,
  owner: OwnerScope,
): Promise<ConversationDeletion> {
  return db.transaction(async (tx) => {
    const [conversation] = await tx
      .select({ id: conversations.id })
      .from(conversations)
      .where(and(eq(conversations.id, id), ownedByScope(conversations.owner, owner)))
      .for('update');
    if (!conversation) return { outcome: 'not-found' };
    const unfinished = await tx
      .select({ id: responses.id })
      .from(responses)
      .where(
        and(eq(responses.conversationId, id), notInArray(responses.status, [...endedStatuses])),
      );
    if (unfinished.length > 0) {
      return { outcome: 'unfinished', promptIds: unfinished.map((row) => row.id) };
    }
    const removed = await tx
      .delete(responses)
      .where(and(eq(responses.conversationId, id), inArray(responses.status, [...endedStatuses])))
      .returning({ id: responses.id });
    await tx.delete(conversations).where(eq(conversations.id, id));
    return { outcome: 'deleted', promptIds: removed.map((row) => row.id) };
  });
}
