import { type FailureTraits, LlmqError } from '@llmq/core';

/** The bytes went over the size limit; the upload stopped and left nothing behind. */
export class BlobTooLargeError extends LlmqError {
  /** Never answered as itself: the upload that set the limit names it (`PayloadTooLargeError`). */
  static override readonly failure: FailureTraits = {
    code: 'blob-too-large',
    blame: 'request',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'BlobTooLargeError';
  readonly maxBytes: number;

  constructor(maxBytes: number) {
    super(`The upload is larger than the limit of ${maxBytes} bytes`);
    this.maxBytes = maxBytes;
  }
}

/** No bytes came, where some were required (`refuseEmpty`); nothing was stored. */
export class BlobEmptyError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'empty-upload',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'BlobEmptyError';

  constructor() {
    super('The upload holds no bytes');
  }
}

/** No type was declared and none could be sniffed from the bytes. */
export class BlobTypeUnknownError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'attachment-type-unknown',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'BlobTypeUnknownError';

  constructor() {
    super(
      'Could not determine the type of the uploaded bytes from their content; declare it (e.g. the Content-Type header)',
    );
  }
}

export class BlobNotFoundError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'blob-not-found',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'BlobNotFoundError';
  readonly id: string;

  constructor(id: string) {
    super(`No stored blob has the id ${id}`);
    this.id = id;
  }
}

/** A byte range outside the blob. */
export class BlobRangeError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'range-not-satisfiable',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'BlobRangeError';
  readonly size: number;

  constructor(size: number) {
    super(`The requested range is outside the blob's ${size} bytes`);
    this.size = size;
  }
}

/** `STORAGE_URL` is not something llmq can use. */
export class StorageConfigError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'storage-config-invalid',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'StorageConfigError';
}

/** The blob store could not be reached or is missing (e.g. its bucket). */
export class StorageUnavailableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'storage-unavailable',
    blame: 'service',
    retryable: true,
    edge: 'http',
  };
  override readonly name = 'StorageUnavailableError';
}
