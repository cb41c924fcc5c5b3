import { and, asc, eq, gt, isNull, lt, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { databaseMoment } from './database-moment.ts';
import { responses } from './schema.ts';
import { textArray } from './text-array.ts';

type UnfinishedStatus = 'queued' | 'running';

/** What the reconciler needs of a prompt that has not ended. */
export interface UnfinishedPrompt {
  readonly id: string;
  readonly model: string;
  readonly status: UnfinishedStatus;
  readonly attempts: number;
  readonly batchId: string | null;
  /** Whose work it is: a batch item added again takes its owner's fair share. */
  readonly owner: string | null;
  /** The owner key that made it: its job carries it, so its limits bind without a row read. */
  readonly apiKeyId: string | null;
}

/**
 * One page of the prompts (a chain's first steps, not its later ones; not a provider batch's
 * items, which have no jobs) in `status` (`queued` or `running`) older than `olderThanMs` by
 * the database's clock, in id order after `afterId`: one range of the (status, id) index per
 * page, so walking a backlog of any size costs each row once, and ended rows cost nothing.
 */
export async function unfinishedPrompts(
  db: Database,
  page: UnfinishedPage,
): Promise<UnfinishedPrompt[]> {
  return (await unfinishedPromptsQuery(db, page)) as UnfinishedPrompt[];
}

export interface UnfinishedPage {
  readonly status: UnfinishedStatus;
  /** How old a row must be, in milliseconds: younger ones are left out. */
  readonly olderThanMs: number;
  readonly afterId: string;
  readonly limit: number;
}

/**
 * The query of one page, not yet run (its plan is checked against the partial
 * `responses_unfinished_idx`, whose predicate is this query's: a pass then never reads the
 * queued items of a provider batch waiting at its provider).
 */
export function unfinishedPromptsQuery(db: Database, page: UnfinishedPage) {
  return db
    .select({
      id: responses.id,
      model: responses.model,
      status: responses.status,
      attempts: responses.attempts,
      batchId: responses.batchId,
      owner: responses.owner,
      apiKeyId: responses.apiKeyId,
    })
    .from(responses)
    .where(
      and(
        eq(responses.status, page.status),
        // A chain's later steps run inside its first step's job, which the reconciler tends.
        sql`coalesce(${responses.chainStep}, 1) = 1`,
        // A provider batch's items have no jobs: its poller answers them (see provider-batches).
        isNull(responses.providerBatchId),
        gt(responses.id, page.afterId),
        lt(responses.createdAt, databaseMoment(-page.olderThanMs)),
      ),
    )
    .orderBy(asc(responses.status), asc(responses.id))
    .limit(page.limit);
}

/** The status and attempts of each prompt now, by id (prompts that do not exist are left out). */
export async function promptProgress(
  db: Database,
  ids: readonly string[],
): Promise<Map<string, { readonly status: string; readonly attempts: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: responses.id, status: responses.status, attempts: responses.attempts })
    .from(responses)
    .where(sql`${responses.id} = any(${textArray(ids)})`);
  return new Map(rows.map((row) => [row.id, row]));
}
