import type { StoredLimits } from '@llmq/db';
import type { SubjectId } from '../limits/limit-counters.ts';
import type { PromptServices } from '../services/prompt-services.ts';

type BudgetOf = Pick<StoredLimits, 'budgetUsd' | 'budgetPeriod'>;

/**
 * After an admin changed a key's or an owner's limits: this process reads them again at once,
 * and when the budget could now let held work start (raised, cleared, another period), the jobs
 * the old budget held back are promoted to look again.
 */
export async function limitsChanged(
  services: Pick<PromptServices, 'subjectLimits' | 'queue'>,
  subject: SubjectId,
  before: BudgetOf | undefined,
  after: BudgetOf | undefined,
): Promise<void> {
  await services.subjectLimits?.changed(subject, services.queue, {
    budget: budgetLoosened(before, after),
  });
}

function budgetLoosened(before: BudgetOf | undefined, after: BudgetOf | undefined): boolean {
  const was = before?.budgetUsd ?? null;
  // Nothing was held by a budget that was not there.
  if (was === null) return false;
  const now = after?.budgetUsd ?? null;
  return now === null || now > was || (after?.budgetPeriod ?? null) !== before?.budgetPeriod;
}
