import { type FailureTraits, LlmqError } from '@llmq/core';

/**
 * A provider-mode batch whose model has no provider batch API (its model list changed since the
 * batch was accepted): no attempt can succeed, so its job fails for good and its items end.
 */
export class NoProviderBatchApiError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'no-provider-batch-api',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'NoProviderBatchApiError';

  constructor(model: string) {
    super(`${model} has no provider batch API`);
  }
}

/**
 * A provider batch job that failed for good (refused, out of attempts): its provider batches and
 * their items were ended with `reason` before it failed, so nothing waits on it.
 */
export class ProviderBatchJobFailedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'provider-batch-job-failed',
    blame: 'provider',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ProviderBatchJobFailedError';
}

/**
 * A provider-mode batch handed to a process without the provider batch queue: its items have no
 * jobs of their own, so going on would leave them queued for ever.
 */
export class ProviderBatchesNotRunningError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'provider-batches-not-running',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ProviderBatchesNotRunningError';

  constructor(batchId: string) {
    super(`Batch ${batchId} runs at its provider, and this process has no provider batch queue`);
  }
}
