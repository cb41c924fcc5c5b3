import { type FailureTraits, LlmqError } from '@llmq/core';
import { DrizzleQueryError } from 'drizzle-orm';

/** `DATABASE_URL` is not something llmq can connect with. */
export class DatabaseConfigError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'database-config-invalid',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'DatabaseConfigError';
}

/** The database could not be reached or refused the connection. */
export class DatabaseUnavailableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'database-unavailable',
    blame: 'service',
    retryable: true,
    edge: 'http',
  };
  override readonly name = 'DatabaseUnavailableError';
}

/** Whether an error is drizzle's wrapper of a failed query (its cause says why it failed). */
export function isDatabaseQueryError(error: unknown): boolean {
  return error instanceof DrizzleQueryError;
}
