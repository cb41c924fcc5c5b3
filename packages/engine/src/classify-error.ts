import { ModelError } from '@llmq/core';
import { PromptTimeoutError } from './abort-reasons.ts';

export interface ErrorClass {
  /** Whether another attempt may succeed. */
  readonly retryable: boolean;
  /** The stable name stored with the failure, e.g. `ModelError`. */
  readonly kind: string;
  readonly message: string;
  readonly retryAfterMs: number | undefined;
  /** The provider answered 429: its model should pause rather than this job spend an attempt. */
  readonly rateLimited: boolean;
}

/** Errors that no retry can fix: the input or the configuration is wrong. */
const finalKinds = new Set([
  'OptionsError',
  'AttachmentTypeError',
  'AttachmentError',
  'NeedsKeyError',
  'UnknownModelError',
  'PluginError',
  'BlobNotFoundError',
  'UnrecoverableError',
]);

/**
 * How a failed attempt is treated: a `ModelError` says itself whether it is retryable; input
 * and configuration errors are final; anything else (a database or Redis outage, a network
 * error) is assumed transient and retried.
 */
export function classifyError(error: unknown): ErrorClass {
  const kind = error instanceof Error ? error.name : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof ModelError) {
    return {
      retryable: error.retryable,
      kind,
      message,
      retryAfterMs: error.retryAfterMs,
      rateLimited: error.status === 429,
    };
  }
  if (error instanceof PromptTimeoutError) {
    return { retryable: true, kind, message, retryAfterMs: undefined, rateLimited: false };
  }
  return {
    retryable: !finalKinds.has(kind),
    kind,
    message,
    retryAfterMs: undefined,
    rateLimited: false,
  };
}
