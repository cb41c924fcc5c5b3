import { and, asc, eq, gte, lte, type SQL, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { usageLedger } from './tables/usage-ledger-table.ts';

/** What usage can be grouped by: the UTC day, the model, the owner key, the owner. */
export type UsageDimension = 'day' | 'model' | 'key' | 'owner';

export interface UsageQuery {
  /** The first and last UTC days counted, `YYYY-MM-DD`, both included. */
  readonly from: string;
  readonly to: string;
  readonly groupBy: readonly UsageDimension[];
  readonly owner?: string | undefined;
  readonly apiKeyId?: string | undefined;
  readonly model?: string | undefined;
}

export interface UsageAmounts {
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
}

/** One group's totals, with the dimensions it was grouped by (no owner or key: null). */
export interface UsageGroup extends UsageAmounts {
  readonly day?: string;
  readonly model?: string;
  readonly apiKeyId?: string | null;
  readonly owner?: string | null;
}

export interface UsageTotals {
  readonly total: UsageAmounts;
  readonly groups: readonly UsageGroup[];
}

const columns = {
  day: usageLedger.day,
  model: usageLedger.model,
  key: usageLedger.apiKeyId,
  owner: usageLedger.owner,
} as const;

const amounts = {
  requests: sql<number>`coalesce(sum(${usageLedger.requests}), 0)`.mapWith(Number),
  inputTokens: sql<number>`coalesce(sum(${usageLedger.inputTokens}), 0)`.mapWith(Number),
  outputTokens: sql<number>`coalesce(sum(${usageLedger.outputTokens}), 0)`.mapWith(Number),
  costUsd: sql<number>`coalesce(sum(${usageLedger.costUsd}), 0)`.mapWith(Number),
};

/**
 * Spend and tokens from the usage ledger over a range of UTC days, in total and per group (in
 * the order of the dimensions, each ascending), optionally of one owner, key or model only.
 */
export async function usageTotals(db: Database, query: UsageQuery): Promise<UsageTotals> {
  const where = and(
    gte(usageLedger.day, query.from),
    lte(usageLedger.day, query.to),
    query.owner === undefined ? undefined : eq(usageLedger.owner, query.owner),
    query.apiKeyId === undefined ? undefined : eq(usageLedger.apiKeyId, query.apiKeyId),
    query.model === undefined ? undefined : eq(usageLedger.model, query.model),
  );
  const dimensions = [...new Set(query.groupBy)];
  const grouped: SQL[] = dimensions.map((dimension) => sql`${columns[dimension]}`);
  const [[total], rows] = await Promise.all([
    db.select(amounts).from(usageLedger).where(where),
    dimensions.length === 0
      ? Promise.resolve([])
      : db
          .select({
            ...amounts,
            ...Object.fromEntries(dimensions.map((dimension) => [dimension, columns[dimension]])),
          })
          .from(usageLedger)
          .where(where)
          .groupBy(...grouped)
          .orderBy(...dimensions.map((dimension) => asc(columns[dimension]))),
  ]);
  return {
    total: round(total ?? { requests: 0, inputTokens: 0, outputTokens: 0, costUsd: 0 }),
    groups: rows.map((row) => groupOf(row as Record<string, unknown> & UsageAmounts, dimensions)),
  };
}

function groupOf(
  row: Record<string, unknown> & UsageAmounts,
  dimensions: readonly UsageDimension[],
): UsageGroup {
  const group: { -readonly [K in keyof UsageGroup]: UsageGroup[K] } = round(row);
  for (const dimension of dimensions) {
    const value = row[dimension] as string;
    if (dimension === 'day') group.day = value;
    else if (dimension === 'model') group.model = value;
    // The ledger writes '' for no key and no owner.
    else if (dimension === 'key') group.apiKeyId = value === '' ? null : value;
    else group.owner = value === '' ? null : value;
  }
  return group;
}

/** Amounts as numbers, the cost to a billionth of a dollar (sums of doubles drift below). */
function round(amounts: UsageAmounts): UsageAmounts {
  return {
    requests: amounts.requests,
    inputTokens: amounts.inputTokens,
    outputTokens: amounts.outputTokens,
    costUsd: Math.round(amounts.costUsd * 1e9) / 1e9,
  };
}
