import { and, asc, gt, inArray, lt } from 'drizzle-orm';
import type { Database } from './database.ts';
import { responses } from './schema.ts';

/** What the reconciler needs of a prompt that has not ended. */
export interface UnfinishedPrompt {
  readonly id: string;
  readonly model: string;
  readonly status: 'queued' | 'running';
  readonly attempts: number;
  readonly batchId: string | null;
}

/**
 * One page of the prompts still `queued` or `running` that were created before `createdBefore`,
 * in id order after `afterId`: the reconciler walks every unfinished prompt page by page (by the
 * status index), so a table of millions of ended rows costs it nothing.
 */
export async function unfinishedPrompts(
  db: Database,
  page: { readonly createdBefore: Date; readonly afterId: string; readonly limit: number },
): Promise<UnfinishedPrompt[]> {
  const rows = await db
    .select({
      id: responses.id,
      model: responses.model,
      status: responses.status,
      attempts: responses.attempts,
      batchId: responses.batchId,
    })
    .from(responses)
    .where(
      and(
        inArray(responses.status, ['queued', 'running']),
        gt(responses.id, page.afterId),
        lt(responses.createdAt, page.createdBefore),
      ),
    )
    .orderBy(asc(responses.id))
    .limit(page.limit);
  return rows as UnfinishedPrompt[];
}
