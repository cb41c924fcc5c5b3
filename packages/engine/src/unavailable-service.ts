import { ModelError } from '@llmq/core';
import { DatabaseUnavailableError, isConnectionError, isDatabaseQueryError } from '@llmq/db';

export type BackingService = 'database' | 'redis';

/**
 * Which backing service a connection failure came from, walking the error's causes: what
 * failed may succeed once it is back. Undefined for every other error, and for a model's own
 * failure (a provider that refuses connections is the model's problem, not an outage here).
 */
export function unavailableService(error: unknown): BackingService | undefined {
  let connectionLost = false;
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (current instanceof ModelError) return undefined;
    const name = (current as { name?: unknown }).name;
    const message = String((current as { message?: unknown }).message ?? '');
    const code = (current as { code?: unknown }).code;
    if (current instanceof DatabaseUnavailableError || isDatabaseQueryError(current)) {
      if (isConnectionError(current) || hasConnectionCause(current)) return 'database';
    }
    if (isConnectionError(current)) return 'database';
    if (name === 'MaxRetriesPerRequestError' || message === 'Connection is closed.') return 'redis';
    if (
      code === 'ECONNREFUSED' ||
      code === 'ECONNRESET' ||
      code === 'ETIMEDOUT' ||
      code === 'EPIPE'
    ) {
      connectionLost = true;
    }
  }
  return connectionLost ? 'redis' : undefined;
}

function hasConnectionCause(error: unknown): boolean {
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (isConnectionError(current)) return true;
    const code = (current as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EPIPE') return true;
  }
  return error instanceof DatabaseUnavailableError;
}
