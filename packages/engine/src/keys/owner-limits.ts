import type { SubjectLimits } from '@llmq/contracts';
import {
  getOwnerLimits,
  type OwnerLimitsRow,
  ownerHasKeys,
  putOwnerLimits,
  deleteOwnerLimits as removeOwnerLimits,
} from '@llmq/db';
import { NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { requireBudgetPeriod } from './key-settings.ts';
import { limitsChanged } from './limits-changed.ts';

/** Only an owner some key has gets limits: a mistyped owner would otherwise bind nobody. */
export async function requireOwner(
  services: Pick<PromptServices, 'db'>,
  owner: string,
): Promise<void> {
  if (!(await ownerHasKeys(services.db, owner))) {
    throw new NotFoundError(
      'owner',
      owner,
      'an owner is a key’s owner (GET /v1/keys shows them; a key made without --owner is its own, its id)',
    );
  }
}

/** Set an owner's limits, replacing what it had: a field left out is no limit. */
export async function setOwnerLimits(
  services: Pick<PromptServices, 'db' | 'subjectLimits' | 'queue'>,
  owner: string,
  limits: SubjectLimits,
): Promise<OwnerLimitsRow> {
  await requireOwner(services, owner);
  const values = {
    budgetUsd: limits.budget_usd ?? null,
    budgetPeriod: limits.budget_period ?? null,
    requestsPerMinute: limits.requests_per_minute ?? null,
    tokensPerMinute: limits.tokens_per_minute ?? null,
    maxConcurrent: limits.max_concurrent ?? null,
  };
  requireBudgetPeriod(values);
  const before = await getOwnerLimits(services.db, owner);
  const row = await putOwnerLimits(services.db, owner, values);
  await limitsChanged(services, `owner:${owner}`, before, row);
  return row;
}

/** Remove an owner's limits (the owner is then bound by its keys' own limits alone). */
export async function deleteOwnerLimits(
  services: Pick<PromptServices, 'db' | 'subjectLimits' | 'queue'>,
  owner: string,
): Promise<OwnerLimitsRow | undefined> {
  await requireOwner(services, owner);
  const removed = await removeOwnerLimits(services.db, owner);
  await limitsChanged(services, `owner:${owner}`, removed, undefined);
  return removed;
}
