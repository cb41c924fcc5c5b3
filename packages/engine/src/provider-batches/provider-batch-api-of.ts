import type { AsyncModel, ProviderBatchApi, ProviderBatchLimits } from '@llmq/core';
import { ModelUnavailableError, unavailableReason } from '../provider-keys/provider-key-errors.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';
import { NoProviderBatchApiError } from './provider-batch-errors.ts';

/** A model's batch API with the key to call it with and the limits in force. */
export interface ProviderBatchAccess {
  readonly api: ProviderBatchApi;
  readonly key: string | undefined;
  readonly limits: ProviderBatchLimits;
}

/** The batch API of a model (which must have one), its key resolved now, as an attempt's is. */
export async function providerBatchApiOf(
  deps: ProviderBatchDependencies,
  model: AsyncModel,
): Promise<ProviderBatchAccess> {
  const api = model.batchApi;
  if (!api) throw new NoProviderBatchApiError(model.modelId);
  const key = deps.providerKeys ? await deps.providerKeys.keyFor(model) : model.key;
  // A key removed since the batch was accepted: every call would be refused, so none is made.
  if (!key && model.needsKey) {
    throw new ModelUnavailableError(
      model.modelId,
      model.needsKey,
      unavailableReason(model.needsKey, model.keyEnvVar),
    );
  }
  return {
    api,
    key,
    limits: {
      maxRequests: Math.min(api.limits.maxRequests, deps.maxRequests ?? Number.POSITIVE_INFINITY),
      maxBytes: api.limits.maxBytes,
    },
  };
}
