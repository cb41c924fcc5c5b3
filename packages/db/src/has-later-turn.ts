import { and, eq, sql } from 'drizzle-orm';
import type { DatabaseExecutor } from './database.ts';
import { responses } from './schema.ts';

/**
 * Whether a conversation has a turn after this prompt (in any status): a prompt that continues
 * from one that has later turns starts a branch instead. Turns are placed by their chain's first
 * step, so the prompt's own later steps do not count.
 */
export async function hasLaterTurn(
  db: DatabaseExecutor,
  conversationId: string,
  prompt: { readonly id: string; readonly chainId: string | null },
): Promise<boolean> {
  const rows = await db
    .select({ id: responses.id })
    .from(responses)
    .where(
      and(
        eq(responses.conversationId, conversationId),
        sql`coalesce(${responses.chainId}, ${responses.id}) > ${prompt.chainId ?? prompt.id}`,
      ),
    )
    .limit(1);
  return rows.length > 0;
}
