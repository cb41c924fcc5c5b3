import { and, eq } from 'drizzle-orm';
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
  const [row] = await db
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
  return { written: row !== undefined, row };
}
