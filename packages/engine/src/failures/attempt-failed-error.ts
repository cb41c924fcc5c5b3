import { type FailureTraits, LlmqError } from '@llmq/core';
import type { AttemptSettlement } from './attempt-settlement.ts';

/**
 * An attempt that failed, with its settlement: what `runPromptJob` throws, so the worker hands
 * BullMQ what was decided instead of deciding again. Its message is the failure's, and its
 * `retryAfterMs` the provider's Retry-After, which BullMQ's backoff reads.
 */
export class AttemptFailedError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'attempt-failed',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'AttemptFailedError';
  readonly settlement: AttemptSettlement;
  readonly retryAfterMs: number | undefined;

  constructor(settlement: AttemptSettlement) {
    super(settlement.message, {
      cause: settlement.error,
      blame: settlement.blame,
      retryable: settlement.outcome !== 'fail' && settlement.outcome !== 'cancelled',
    });
    this.settlement = settlement;
    this.retryAfterMs = settlement.outcome === 'retry' ? settlement.retryAfterMs : undefined;
  }
}
