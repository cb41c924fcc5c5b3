import { APIConnectionError, APIError } from '@anthropic-ai/sdk';
import { ModelError, retryAfterMs } from '@llmq/core';

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
        // Anthropic says it in words: "prompt is too long: 210000 tokens > 200000 maximum".
        contextExceeded: error.status === 400 && /prompt is too long/i.test(message),
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
