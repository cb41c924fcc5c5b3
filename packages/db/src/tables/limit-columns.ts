import type { BudgetPeriod } from '@llmq/contracts';
import { doublePrecision, integer, text } from 'drizzle-orm/pg-core';

/**
 * The limits a key or an owner may carry (contracts' `SubjectLimits`); null is no limit. The
 * same columns on `api_keys` and `owner_limits`, so both are read and enforced alike.
 */
export function limitColumns() {
  return {
    /** USD that may be spent per `budget_period`. */
    budgetUsd: doublePrecision('budget_usd'),
    budgetPeriod: text('budget_period').$type<BudgetPeriod>(),
    requestsPerMinute: integer('requests_per_minute'),
    tokensPerMinute: integer('tokens_per_minute'),
    /** Prompts queued or running at once. */
    maxConcurrent: integer('max_concurrent'),
  };
}
