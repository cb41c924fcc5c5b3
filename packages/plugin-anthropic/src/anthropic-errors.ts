import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { ModelError } from '@llmq/core';

/**
 * Statuses worth another attempt: a timeout, a conflict, a rate limit (429), Anthropic's
 * overload (529) and any other server error, as the SDK's own retry policy counts them.
 */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** Error types of a stream's `error` event that are Anthropic's fault or a limit, not the input's. */
const retryableErrorTypes = new Set([
  'overloaded_error',
  'api_error',
  'rate_limit_error',
  'timeout_error',
]);

/**
 * An Anthropic failure as a `ModelError`: rate limits (429), overload (529), other 5xx and
 * network failures are retryable and carry the `retry-after` Anthropic sends; a 400, 401, 403,
 * 404 or 413 is final and carries Anthropic's message. An `error` event inside a stream has no
 * status: its type decides (an `overloaded_error` is retryable).
 */
export function toModelError(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof APIConnectionError) {
    return new ModelError(`Could not reach the Anthropic API: ${error.message}`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIError) {
    const message = error.apiMessage ?? error.message;
    if (typeof error.status === 'number') {
      return new ModelError(`Anthropic API error ${error.status}: ${message}`, {
        retryable: isRetryableStatus(error.status),
        retryAfterMs: retryAfterMs(error.headers),
        status: error.status,
        cause: error,
      });
    }
    const type = error.type;
    return new ModelError(`Anthropic response failed${type ? ` (${type})` : ''}: ${message}`, {
      retryable: type === null || retryableErrorTypes.has(type),
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError(`Anthropic request failed: ${message}`, { retryable: true, cause: error });
}

/** `retry-after-ms`, else `retry-after` as seconds or an HTTP date. */
export function retryAfterMs(headers: Headers | undefined, now = Date.now()): number | undefined {
  if (!headers) return undefined;
  const milliseconds = Number(headers.get('retry-after-ms') ?? Number.NaN);
  if (Number.isFinite(milliseconds) && milliseconds >= 0) return milliseconds;
  const value = headers.get('retry-after');
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
