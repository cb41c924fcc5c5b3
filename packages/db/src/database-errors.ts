import { DrizzleQueryError } from 'drizzle-orm';

/** `DATABASE_URL` is not something llmq can connect with. */
export class DatabaseConfigError extends Error {
  override readonly name = 'DatabaseConfigError';
}

/** The database could not be reached or refused the connection. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
}

/** Whether an error is drizzle's wrapper of a failed query (its cause says why it failed). */
export function isDatabaseQueryError(error: unknown): boolean {
  return error instanceof DrizzleQueryError;
}
