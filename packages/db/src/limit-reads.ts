import { and, count, eq, inArray, isNotNull, isNull, or, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { apiKeys } from './tables/key-tables.ts';
import { ownerLimits } from './tables/owner-limits-table.ts';
import { responses } from './tables/responses-table.ts';

/** The limit columns of one key or owner, as stored (null is no limit). */
export interface StoredLimits {
  readonly budgetUsd: number | null;
  readonly budgetPeriod: 'day' | 'week' | 'month' | null;
  readonly requestsPerMinute: number | null;
  readonly tokensPerMinute: number | null;
  readonly maxConcurrent: number | null;
}

export interface LimitedKey extends StoredLimits {
  readonly id: string;
  readonly owner: string;
  /** The models the key may use; null for every model. */
  readonly allowedModels: readonly string[] | null;
}

export interface LimitedOwner extends StoredLimits {
  readonly owner: string;
}

/**
 * Every key and owner that has a limit (or, for keys, a list of allowed models): the few rows
 * enforcement needs, read whole so that work of subjects without limits costs no read at all.
 */
export async function limitedSubjects(
  db: Database,
): Promise<{ keys: LimitedKey[]; owners: LimitedOwner[] }> {
  const keys = await db
    .select({
      id: apiKeys.id,
      owner: apiKeys.owner,
      allowedModels: apiKeys.allowedModels,
      budgetUsd: apiKeys.budgetUsd,
      budgetPeriod: apiKeys.budgetPeriod,
      requestsPerMinute: apiKeys.requestsPerMinute,
      tokensPerMinute: apiKeys.tokensPerMinute,
      maxConcurrent: apiKeys.maxConcurrent,
    })
    .from(apiKeys)
    // Revoked keys too: their queued work still runs, and still within their limits.
    .where(
      or(
        isNotNull(apiKeys.allowedModels),
        isNotNull(apiKeys.budgetUsd),
        isNotNull(apiKeys.requestsPerMinute),
        isNotNull(apiKeys.tokensPerMinute),
        isNotNull(apiKeys.maxConcurrent),
      ),
    );
  const owners = await db
    .select({
      owner: ownerLimits.owner,
      budgetUsd: ownerLimits.budgetUsd,
      budgetPeriod: ownerLimits.budgetPeriod,
      requestsPerMinute: ownerLimits.requestsPerMinute,
      tokensPerMinute: ownerLimits.tokensPerMinute,
      maxConcurrent: ownerLimits.maxConcurrent,
    })
    .from(ownerLimits);
  return { keys, owners };
}

/**
 * How many interactive prompts (not batch items; a chain counted once) of an owner or one of
 * its keys are queued or running, counting at most `atMost` of them.
 */
export async function unfinishedInteractivePrompts(
  db: Database,
  subject: { readonly owner: string } | { readonly apiKeyId: string },
  atMost: number,
): Promise<number> {
  const who =
    'owner' in subject
      ? eq(responses.owner, subject.owner)
      : eq(responses.apiKeyId, subject.apiKeyId);
  const counted = db
    .select({ id: responses.id })
    .from(responses)
    .where(
      and(
        inArray(responses.status, ['queued', 'running']),
        isNull(responses.batchId),
        isNull(responses.providerBatchId),
        sql`coalesce(${responses.chainStep}, 1) = 1`,
        who,
      ),
    )
    .limit(atMost)
    .as('counted');
  const [row] = await db.select({ total: count() }).from(counted);
  return row?.total ?? 0;
}
