import { and, eq, inArray, sql } from 'drizzle-orm';
import { endUnfinishedSteps } from './chain-steps.ts';
import type { Database } from './database.ts';
import { type ResponseRow, responses } from './schema.ts';

/**
 * Cancel a prompt that has not ended. Returns the cancelled row, or undefined when it had
 * already ended (or does not exist).
 */
export async function cancelPrompt(db: Database, id: string): Promise<ResponseRow | undefined> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(responses)
      .set({ status: 'cancelled', completedAt: sql`now()` })
      .where(and(eq(responses.id, id), inArray(responses.status, ['queued', 'running'])))
      .returning();
    // A chain's step that was running ends with it.
    if (row?.chainId === id) await endUnfinishedSteps(tx, id, 'cancelled');
    return row;
  });
}
