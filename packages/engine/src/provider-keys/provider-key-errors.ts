import { type FailureTraits, keyHelp, LlmqError } from '@llmq/core';

/**
 * A prompt for a model whose provider key is neither in the server's environment nor stored:
 * refused before anything is queued, saying where the key goes (the server's, never the
 * caller's shell).
 */
export class ModelUnavailableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'model-unavailable',
    blame: 'service',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'ModelUnavailableError';
  readonly model: string;
  readonly keyName: string;

  constructor(model: string, keyName: string, reason: string) {
    super(`Model ${model} cannot run: ${reason}`);
    this.model = model;
    this.keyName = keyName;
  }
}

/** Why a model without its key cannot run, as GET /v1/models and the refusal say it. */
export function unavailableReason(keyName: string, keyEnvVar: string | undefined): string {
  return `no ${keyName} key is configured on the server: ${keyHelp(keyName, keyEnvVar)}`;
}

/** Storing a provider key on a server that has no secret to seal it with (fleet mode). */
export class SecretKeyMissingError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'secret-key-missing',
    blame: 'service',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'SecretKeyMissingError';

  constructor() {
    super(
      'This server has no secret to encrypt provider keys with: set LLMQ_SECRET_KEY (32 random bytes as 64 hex digits, e.g. `openssl rand -hex 32`) on the api and every worker, the same on each, and restart them; or set the provider key itself in their environment',
    );
  }
}
