import type { BatchRow } from '@llmq/db';
import { providerBatchesOf } from '@llmq/db';
import type { PromptServices } from '../services/prompt-services.ts';

/**
 * Ask the provider to cancel each of a batch's provider batches that it is running. Its poller
 * goes on: the provider ends the batch `cancelled`, what it finished is imported and the rest of
 * the items end cancelled.
 */
export async function cancelProviderBatches(
  services: Pick<PromptServices, 'db' | 'models' | 'providerKeys'>,
  batch: BatchRow,
): Promise<void> {
  const model = services.models.get(batch.model);
  const api = model.batchApi;
  if (!api) return;
  const key = await services.providerKeys.keyFor(model);
  for (const row of await providerBatchesOf(services.db, batch.id)) {
    if (row.status !== 'in_progress' || !row.providerBatchId) continue;
    await api.cancel(row.providerBatchId, { key });
  }
}
