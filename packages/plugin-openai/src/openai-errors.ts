import { ModelError } from '@llmq/core';
import { APIConnectionError, APIError } from 'openai';

/** Statuses worth another attempt, as the openai SDK's own retry policy counts them. */
function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * A provider failure as a `ModelError`: rate limits, 5xx and network failures are retryable and
 * carry the provider's `Retry-After`; other statuses are final and carry the provider's message.
 */
export function toModelError(error: unknown): ModelError {
  if (error instanceof ModelError) return error;
  if (error instanceof APIConnectionError) {
    return new ModelError(`Could not reach the OpenAI-compatible server: ${error.message}`, {
      retryable: true,
      cause: error,
    });
  }
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = error.error as { message?: unknown } | undefined;
    const providerMessage = typeof body?.message === 'string' ? body.message : error.message;
    return new ModelError(`OpenAI API error ${error.status}: ${providerMessage}`, {
      retryable: isRetryableStatus(error.status),
      retryAfterMs: retryAfterMs(error.headers),
      status: error.status,
      cause: error,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError(`OpenAI request failed: ${message}`, { retryable: true, cause: error });
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
