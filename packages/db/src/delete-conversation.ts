import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { type OwnerScope, ownedByScope } from './get-prompt.ts';
import { conversations, responses, webhookDeliveries } from './schema.ts';

const endedStatuses = ['succeeded', 'failed', 'cancelled'] as const;

export type ConversationDeletion =
  | { readonly outcome: 'deleted'; readonly promptIds: readonly string[] }
  | { readonly outcome: 'not-found' }
  /** Some turns have not ended: nothing was deleted. */
  | { readonly outcome: 'unfinished'; readonly promptIds: readonly string[] }
  /** A turn ended (or was stored) at or after retention's cutoff: kept. */
  | { readonly outcome: 'not-due' };

/**
 * Delete a conversation whose every turn has ended, with all its turns (their chain steps, tool
 * results and attachment links go with them): never part of one, since a later turn replays the
 * earlier ones. The conversation row is locked first, so a turn added meanwhile either commits
 * before (and is seen, and deleted or refused) or fails on the conversation being gone.
 * Retention's cutoff (`endedBefore`) is checked under that lock too: a turn that ended after the
 * conversation was listed keeps it. Webhook deliveries about its turns go with them (their
 * payload copies the answers).
 */
export function deleteEndedConversation(
  db: Database,
  id: string,
  owner: OwnerScope,
): Promise<Exclude<ConversationDeletion, { outcome: 'not-due' }>>;
export function deleteEndedConversation(
  db: Database,
  id: string,
  owner: OwnerScope,
  options: { readonly endedBefore: Date },
): Promise<ConversationDeletion>;
export async function deleteEndedConversation(
  db: Database,
  id: string,
  owner: OwnerScope,
  options: { readonly endedBefore?: Date } = {},
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
    if (options.endedBefore) {
      const [recent] = await tx
        .select({ id: responses.id })
        .from(responses)
        .where(
          and(
            eq(responses.conversationId, id),
            sql`coalesce(${responses.completedAt}, ${responses.createdAt}) >= ${options.endedBefore.toISOString()}::timestamptz`,
          ),
        )
        .limit(1);
      if (recent) return { outcome: 'not-due' };
    }
    await tx
      .delete(webhookDeliveries)
      .where(
        inArray(
          webhookDeliveries.subjectId,
          tx.select({ id: responses.id }).from(responses).where(eq(responses.conversationId, id)),
        ),
      );
    const removed = await tx
      .delete(responses)
      .where(and(eq(responses.conversationId, id), inArray(responses.status, [...endedStatuses])))
      .returning({ id: responses.id });
    await tx.delete(conversations).where(eq(conversations.id, id));
    return { outcome: 'deleted', promptIds: removed.map((row) => row.id) };
  });
}
