import { ModelError, retryAfterMs } from '@llmq/core';
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
    const body = error.error as { message?: unknown; code?: unknown } | undefined;
    const providerMessage = typeof body?.message === 'string' ? body.message : error.message;
    return new ModelError(`OpenAI API error ${error.status}: ${providerMessage}`, {
      retryable: isRetryableStatus(error.status),
      retryAfterMs: retryAfterMs(error.headers),
      status: error.status,
      contextExceeded:
        body?.code === contextLengthCode ||
        (error.status === 400 && contextLengthMessage.test(providerMessage)),
      cause: error,
    });
  }
  if (error instanceof APIError) {
    // An error sent inside a stream (a Responses `error` event, a chat chunk's `error`): the
    // SDK raises it without a status, its body the error itself.
    const body = error.error as { message?: unknown; code?: unknown } | undefined;
    if (typeof body?.message === 'string') {
      return failureToModelError(
        { code: typeof body.code === 'string' ? body.code : null, message: body.message },
        error,
      );
    }
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ModelError(`OpenAI request failed: ${message}`, { retryable: true, cause: error });
}

/** OpenAI's code for a prompt longer than the model's context. */
const contextLengthCode = 'context_length_exceeded';
/** How OpenAI-compatible servers without that code say it (vLLM, Ollama, llama.cpp). */
const contextLengthMessage = /maximum context length|context length exceeded|exceeds the context/i;

/** Codes of a failed response that another attempt may not meet again. */
const retryableFailureCodes = new Set([
  'server_error',
  'rate_limit_exceeded',
  'vector_store_timeout',
]);

/**
 * A response that failed after it started (a Responses `response.failed`, a stream's `error`
 * event) as a `ModelError`: retryable when OpenAI's code says the fault was its own or a limit,
 * or gives no code; final for a code that blames the input (an invalid prompt or image).
 */
export function failureToModelError(
  failure: { readonly code?: string | null | undefined; readonly message: string },
  cause?: unknown,
): ModelError {
  const code = failure.code ?? null;
  return new ModelError(`OpenAI response failed${code ? ` (${code})` : ''}: ${failure.message}`, {
    retryable: code === null || retryableFailureCodes.has(code),
    contextExceeded: code === contextLengthCode,
    cause,
  });
}
