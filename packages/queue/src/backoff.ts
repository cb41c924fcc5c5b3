/** The error fields the backoff reads: a provider's Retry-After travels on a `ModelError`. */
interface RetryHint {
  readonly retryAfterMs?: number | undefined;
}

/**
 * Delay before retry n: the provider's Retry-After when it gave one, else exponential from
 * `baseMs` with ±50% jitter so a burst of failures does not retry in lockstep.
 */
export function retryDelay(
  attemptsMade: number,
  baseMs: number,
  error: unknown,
  random: () => number = Math.random,
): number {
  const hint = (error as RetryHint | undefined)?.retryAfterMs;
  if (typeof hint === 'number' && Number.isFinite(hint) && hint >= 0) return Math.ceil(hint);
  const exponential = baseMs * 2 ** Math.max(attemptsMade - 1, 0);
  return Math.round(exponential * (0.5 + random()));
}
