import type { LimitValues } from '@llmq/contracts';
import type { OwnerLimitsRow } from '@llmq/db/reads';

/** The limit columns a key or an owner has, as the API shows them (null: no limit). */
export function limitValuesOf(
  row: Pick<
    OwnerLimitsRow,
    'budgetUsd' | 'budgetPeriod' | 'requestsPerMinute' | 'tokensPerMinute' | 'maxConcurrent'
  >,
): LimitValues {
  return {
    budget_usd: row.budgetUsd,
    budget_period: row.budgetPeriod,
    requests_per_minute: row.requestsPerMinute,
    tokens_per_minute: row.tokensPerMinute,
    max_concurrent: row.maxConcurrent,
  };
}
