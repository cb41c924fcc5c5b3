import { type FailureTraits, LlmqError } from '@llmq/core';

/** A request that is valid OpenAI but cannot be turned into an llmq prompt. */
export class ChatMappingError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'chat-not-mappable',
    blame: 'request',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ChatMappingError';
  readonly param: string;

  constructor(message: string, param: string) {
    super(message);
    this.param = param;
  }
}
