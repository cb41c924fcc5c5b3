import { type FailureTraits, LlmqError } from '@llmq/core';

export type ResourceKind =
  | 'prompt'
  | 'attachment'
  | 'conversation'
  | 'batch'
  | 'key'
  | 'schema'
  | 'provider key'
  | 'owner'
  | 'webhook delivery';

/** No such resource (for this owner): the API answers 404. */
export class NotFoundError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'not-found',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'NotFoundError';
  readonly kind: ResourceKind;
  readonly id: string;

  constructor(kind: ResourceKind, id: string, hint?: string) {
    super(`No ${kind} has the id ${id}${hint ? `; ${hint}` : ''}`);
    this.kind = kind;
    this.id = id;
  }
}

/** The request body names an attachment that was never uploaded: 422. */
export class AttachmentNotFoundError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'unknown-attachment',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'AttachmentNotFoundError';
  readonly id: string;

  constructor(id: string) {
    super(`No attachment has the id ${id}; upload the bytes with POST /v1/attachments first`);
    this.id = id;
  }
}

/** Bytes over a limit: 413. */
export class PayloadTooLargeError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'payload-too-large',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'PayloadTooLargeError';
}

/** The request is well-formed but asks for something that cannot be done: 422. */
export class InvalidRequestError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-request',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'InvalidRequestError';
}

/** The resource is in a state that forbids this (e.g. cancelling a finished prompt): 409. */
export class ConflictError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'conflict',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'ConflictError';
}
