import { and, eq, notExists } from 'drizzle-orm';
import type { Database } from './database.ts';
import { conversations, responses } from './schema.ts';

/**
 * Undo `createQueuedPrompt` when its job could not be queued: the prompt row (its attachment
 * links go with it) and its conversation if no other turn uses it. Attachment rows stay: they
 * describe stored bytes, which stay too.
 */
export async function discardQueuedPrompt(db: Database, id: string): Promise<void> {
  await db.transaction(async (tx) => {
    const [removed] = await tx
      .delete(responses)
      .where(and(eq(responses.id, id), eq(responses.status, 'queued')))
      .returning({ conversationId: responses.conversationId });
    if (!removed?.conversationId) return;
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
  });
}
