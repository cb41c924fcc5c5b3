import type { UpdateApiKeyBody } from '@llmq/contracts';
import { type ApiKeyRow, getApiKey, violatedCheck, updateApiKey as writeApiKey } from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';
import type { PromptServices } from '../services/prompt-services.ts';
import { keySettingsOf, requireBudgetPeriod } from './key-settings.ts';
import { limitsChanged } from './limits-changed.ts';

/**
 * Change a key's name or settings: absent fields stay, null clears. The budget rule is checked
 * on the key as it will be (a budget set earlier needs a period still).
 */
export async function updateApiKey(
  services: Pick<PromptServices, 'db' | 'models' | 'webhookUrls' | 'subjectLimits' | 'queue'>,
  id: string,
  body: UpdateApiKeyBody,
  now = new Date(),
): Promise<ApiKeyRow> {
  const stored = await getApiKey(services.db, id);
  if (!stored) throw new NotFoundError('key', id, 'GET /v1/keys lists the keys');
  const { name, ...rest } = body;
  const changes = {
    ...(name === undefined ? {} : { name }),
    ...(await keySettingsOf(rest, services, now)),
  };
  requireBudgetPeriod({ ...stored, ...changes });
  const row = await writeApiKey(services.db, id, changes).catch((error: unknown) => {
    // Another change of the key committed since it was read here: together they would leave a
    // budget without its period, which the table refuses.
    if (violatedCheck(error) === 'api_keys_budget_has_period_check') {
      throw new ConflictError(
        `Key ${id} was changed meanwhile, and this change would now leave its budget without a period: read it again (GET /v1/keys) and give budget_usd and budget_period together`,
      );
    }
    throw error;
  });
  if (!row) throw new NotFoundError('key', id, 'GET /v1/keys lists the keys');
  await limitsChanged(services, `key:${id}`, stored, row);
  return row;
}
