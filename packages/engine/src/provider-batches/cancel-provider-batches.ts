import type { BatchRow } from '@llmq/db';
import { providerBatchesOf } from '@llmq/db';
import type { Logger } from 'pino';
import type { PromptServices } from '../services/prompt-services.ts';

/**
 * Ask the provider to cancel each of a batch's provider batches that it is running. Its poller
 * goes on: the provider ends the batch `cancelled`, what it finished is imported and the rest of
 * the items end cancelled. A provider that refuses or is down is logged, not thrown: the batch is
 * already `cancelling`, and each poll round of a cancelling batch asks again (see
 * poll-provider-batch.ts), so every provider batch is cancelled once the provider answers.
 */
export async function cancelProviderBatches(
  services: Pick<PromptServices, 'db' | 'models' | 'providerKeys'>,
  batch: BatchRow,
  logger?: Pick<Logger, 'warn'>,
): Promise<void> {
  // The api's services carry no logger: a warning of the process then (its stderr).
  const warn = (error: unknown, message: string) =>
    logger
      ? logger.warn({ err: error, batchId: batch.id }, message)
      : process.emitWarning(`batch ${batch.id}: ${message}: ${(error as Error)?.message ?? error}`);
  const model = services.models.get(batch.model);
  const api = model.batchApi;
  if (!api) return;
  let key: string | undefined;
  try {
    key = await services.providerKeys.keyFor(model);
  } catch (error) {
    warn(error, 'could not read the key to cancel the provider batches; polls ask again');
    return;
  }
  for (const row of await providerBatchesOf(services.db, batch.id)) {
    if (row.status !== 'in_progress' || !row.providerBatchId) continue;
    try {
      await api.cancel(row.providerBatchId, { key });
    } catch (error) {
      warn(error, `the provider did not take the cancel of ${row.id}; its poller asks again`);
    }
  }
}
