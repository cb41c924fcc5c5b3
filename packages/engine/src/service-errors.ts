export type ResourceKind = 'prompt' | 'attachment' | 'conversation' | 'batch' | 'key';

/** No such resource (for this owner): the API answers 404. */
export class NotFoundError extends Error {
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
export class AttachmentNotFoundError extends Error {
  override readonly name = 'AttachmentNotFoundError';
  readonly id: string;

  constructor(id: string) {
    super(`No attachment has the id ${id}; upload the bytes with POST /v1/attachments first`);
    this.id = id;
  }
}

/** Bytes over a limit: 413. */
export class PayloadTooLargeError extends Error {
  override readonly name = 'PayloadTooLargeError';
}

/** The request is well-formed but asks for something that cannot be done: 422. */
export class InvalidRequestError extends Error {
  override readonly name = 'InvalidRequestError';
}

/** The resource is in a state that forbids this (e.g. cancelling a finished prompt): 409. */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
