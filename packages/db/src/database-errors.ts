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

/**
 * The CHECK constraint a failed statement violated (PostgreSQL's 23514), by name; undefined for
 * any other failure. Found on the error or its causes (drizzle wraps the driver's).
 */
export function violatedCheck(error: unknown): string | undefined {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    // postgres.js names it constraint_name; PGlite, as node-postgres, constraint.
    const { code, constraint, constraint_name } = current as Record<string, unknown>;
    if (code !== '23514') continue;
    const name = constraint_name ?? constraint;
    return typeof name === 'string' ? name : '';
  }
  return undefined;
}
