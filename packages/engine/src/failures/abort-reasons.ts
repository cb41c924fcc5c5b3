import { type FailureTraits, LlmqError } from '@llmq/core';

/** Why a running job's signal fired: a user cancelled the prompt. */
export class PromptCancelledError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'prompt-cancelled',
    blame: 'request',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'PromptCancelledError';

  constructor(promptId: string) {
    super(`Prompt ${promptId} was cancelled`);
  }
}

/** Why a running job's signal fired: its worker is shutting down and hands the job back. */
export class WorkerShutdownError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'worker-shutdown',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'WorkerShutdownError';

  constructor() {
    super('The worker is shutting down; the job goes back to the queue');
  }
}

/** Why a running job's signal fired: it ran past its model's time limit. */
export class PromptTimeoutError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'prompt-timeout',
    blame: 'provider',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'PromptTimeoutError';
  readonly timeoutMs: number;

  constructor(timeoutMs: number) {
    super(`The model did not finish within ${timeoutMs} ms`);
    this.timeoutMs = timeoutMs;
  }
}

/**
 * Why a running job's signal fired: its worker could not renew the job's lock, so another
 * worker may already run it again; this run stops writing at once.
 */
export class LockLostError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'lock-lost',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'LockLostError';

  constructor(promptId: string) {
    super(`The lock on prompt ${promptId} was lost; another worker runs it`);
  }
}
