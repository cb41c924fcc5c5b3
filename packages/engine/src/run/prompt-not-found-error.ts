import { type FailureTraits, LlmqError } from '@llmq/core';

/**
 * A job whose prompt is not in this service's database: most likely another llmq service
 * shares this Redis and queue prefix and its job came here, or the prompt's row was deleted.
 */
export class PromptNotFoundError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'job-without-prompt',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'PromptNotFoundError';
  readonly promptId: string;

  constructor(promptId: string) {
    super(
      `Prompt ${promptId} does not exist in this service's database: another llmq service may share this Redis and queue prefix (give each its own LLMQ_QUEUE_PREFIX), or the prompt's row was deleted`,
    );
    this.promptId = promptId;
  }
}
