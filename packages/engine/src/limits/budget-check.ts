import { type Database, spendSince } from '@llmq/db';
import { ledgerDay, periodOf } from './budget-period.ts';
import { BudgetExceededError } from './limit-errors.ts';
import type { EffectiveLimits } from './subject-limits-reader.ts';

/**
 * The key's or the owner's budget that is spent (spend this period ≥ budget), as the error
 * that says so; undefined while both have budget left. Spend is what the usage ledger holds:
 * the answers that have ended, so prompts running now are not in it yet.
 */
export async function spentBudget(
  db: Database,
  limits: EffectiveLimits,
  now = new Date(),
): Promise<BudgetExceededError | undefined> {
  const checks = [
    limits.key && { holder: 'key' as const, limits: limits.key, of: { apiKeyId: limits.key.id } },
    limits.owner && {
      holder: 'owner' as const,
      limits: limits.owner,
      of: { owner: limits.owner.owner },
    },
  ].flatMap((check) =>
    check && check.limits.budgetUsd !== null && check.limits.budgetPeriod !== null
      ? [{ ...check, budgetUsd: check.limits.budgetUsd, period: check.limits.budgetPeriod }]
      : [],
  );
  const spent = await Promise.all(
    checks.map(({ of, period }) => spendSince(db, of, ledgerDay(periodOf(period, now).start))),
  );
  for (const [index, check] of checks.entries()) {
    const spentUsd = spent[index] ?? 0;
    if (spentUsd >= check.budgetUsd) {
      return new BudgetExceededError({
        holder: check.holder,
        budgetUsd: check.budgetUsd,
        spentUsd,
        period: check.period,
        resetsAt: periodOf(check.period, now).resetsAt,
      });
    }
  }
  return undefined;
}
