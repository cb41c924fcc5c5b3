import { type FailureTraits, LlmqError } from '@llmq/core';

/**
 * Tool results that do not answer the conversation's last turn: an id it did not call, one
 * given twice, a client tool's call left unanswered, or results without a conversation. 422.
 */
export class InvalidToolResultsError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-tool-results',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'InvalidToolResultsError';
}

/**
 * A chain that made as many model calls as its `chain_limit` and was still calling tools,
 * ended as llm ends it: "Chain limit of N exceeded."
 */
export class ChainLimitError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'chain-limit',
    blame: 'request',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ChainLimitError';
  readonly limit: number;

  constructor(limit: number) {
    super(`Chain limit of ${limit} exceeded.`);
    this.limit = limit;
  }
}
