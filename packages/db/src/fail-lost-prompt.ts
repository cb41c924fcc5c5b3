import { and, eq } from 'drizzle-orm';
import { endUnfinishedSteps } from './chain-steps.ts';
import type { Database } from './database.ts';
import { type AttemptWrite, failedWith, type PromptFailure } from './prompt-attempts.ts';
import { responses } from './schema.ts';

/**
 * Fail a prompt whose job vanished with no attempt left to give it, whether it was `queued` or
 * `running`, only if nothing has touched the row since it was read (same status, same attempts).
 */
export async function failLostPrompt(
  db: Database,
  id: string,
  seen: { readonly status: 'queued' | 'running'; readonly attempts: number },
  failure: PromptFailure,
): Promise<AttemptWrite> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(responses)
      .set(failedWith(failure))
      .where(
        and(
          eq(responses.id, id),
          eq(responses.status, seen.status),
          eq(responses.attempts, seen.attempts),
        ),
      )
      .returning();
    if (row?.chainId === id) await endUnfinishedSteps(tx, id, 'failed', failure);
    return { written: row !== undefined, row };
  });
}
