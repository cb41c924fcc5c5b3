import { failureOf } from '@llmq/core';
import { isConnectionError } from '@llmq/db';
import { type BackingService, jobOutageOf } from './job-outage.ts';

/**
 * Which backing service a request's failure came from, walking the error's causes: what
 * failed may succeed once it is back (503). Everything `jobOutageOf` recognises, and beyond it
 * any connection error in the causes: a wrong guess here costs one 503, not a prompt retried
 * forever. Undefined for a model's own failure (a provider that refuses connections is the
 * model's problem, not an outage here).
 */
export function unavailableService(error: unknown): BackingService | undefined {
  const outage = jobOutageOf(error);
  if (outage) return outage;
  let connectionLost = false;
  for (let current = error; current; current = (current as { cause?: unknown }).cause) {
    if (failureOf(current)?.blame === 'provider') return undefined;
    if (isConnectionError(current)) return 'database';
    if ((current as { code?: unknown }).code === 'EPIPE') connectionLost = true;
  }
  return connectionLost ? 'redis' : undefined;
}
