import { failureOf } from '@llmq/core';
import {
  ConnectionClosedEarlyError,
  DatabaseUnavailableError,
  isDatabaseQueryError,
} from '@llmq/db';

/** What a job or a request may find unreachable for a while. */
export type BackingService = 'database' | 'redis';

/** The driver's own codes (postgres.js) and PostgreSQL's for a connection that failed. */
const databaseConnectionCodes = new Set([
  'CONNECTION_CLOSED',
  'CONNECTION_ENDED',
  'CONNECTION_DESTROYED',
  'CONNECT_TIMEOUT',
  '57P01', // admin shutdown
  '57P02', // crash shutdown
  '57P03', // cannot connect now
  '53300', // too many connections
]);

/** Socket errors: an outage only when they come from a database query. */
const networkCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);

/**
 * Whether a job failed because the worker could not reach its database or Redis: then the job
 * waits and runs again without spending an attempt, for as long as the outage lasts. Stricter
 * than the api's `unavailableService` (where a wrong guess costs one 503): here a wrong guess
 * would retry a prompt's own failure forever, so only errors that came through the database
 * driver or the Redis client count, and no llmq error other than the database's own (a model's
 * or an attachment's failure, whatever caused it) ever does.
 */
export function jobOutageOf(error: unknown): BackingService | undefined {
  let fromDatabaseQuery = false;
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (
      current instanceof DatabaseUnavailableError ||
      current instanceof ConnectionClosedEarlyError
    ) {
      return 'database';
    }
    // Any other llmq error knows what it is: a model's, a request's, or a service's other than
    // the worker's database and Redis (the blob store's): never an outage, whatever caused it.
    if (failureOf(current)) return undefined;
    if (isDatabaseQueryError(current)) fromDatabaseQuery = true;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') {
      if (databaseConnectionCodes.has(code) || /^08[0-9A-Z]{3}$/.test(code)) return 'database';
      if (fromDatabaseQuery && networkCodes.has(code)) return 'database';
    }
    // ioredis's own errors: it exports no class for either, so its name and message tell.
    const name = String((current as { name?: unknown }).name ?? '');
    const message = String((current as { message?: unknown }).message ?? '');
    if (name === 'MaxRetriesPerRequestError' || message === 'Connection is closed.') {
      return 'redis';
    }
  }
  return undefined;
}
