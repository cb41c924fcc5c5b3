import { PassThrough, Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { type FailureTraits, LlmqError } from '@llmq/core';
import Busboy from 'busboy';

export interface FilePart {
  readonly field: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly stream: Readable;
}

/** Nothing to do: the failure is already recorded, the listener only keeps it from crashing. */
const ignoreError = () => undefined;

/**
 * Hand each file of a multipart/form-data body to `onFile` as it streams past (never a whole
 * file in memory). A part's stream ends only once the whole body has been read and found
 * well-formed, so a consumer that commits at its stream's end (the blob store) commits nothing
 * for a body cut short, garbled or holding too many files: the part's stream fails instead.
 * The first failure stops reading the body and is what this rejects with.
 */
export async function forEachMultipartFile<T>(
  request: Request,
  maxFiles: number,
  onFile: (part: FilePart) => Promise<T>,
  onField?: (name: string, value: string) => void,
): Promise<T[]> {
  if (!request.body) return [];
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { files: maxFiles },
    });
  } catch (error) {
    throw new MalformedMultipartError(error);
  }
  const source = Readable.fromWeb(request.body as WebReadableStream<Uint8Array>);
  const parts: PassThrough[] = [];
  const results: Promise<T>[] = [];
  const parsed = Promise.withResolvers<void>();
  let failure: Error | undefined;
  const fail = (error: unknown) => {
    if (failure) return;
    failure = error instanceof Error ? error : new Error(String(error));
    // Stop reading; the server drains or closes what the client still sends after the answer.
    source.unpipe(parser);
    source.destroy();
    parser.destroy();
    for (const part of parts) part.destroy(failure);
    parsed.resolve();
  };
  // Every stream keeps an error listener for its whole life: an error nobody listens to for
  // (a consumer that already gave up, a part busboy destroys) would end the process.
  source.on('error', (error) => fail(new MalformedMultipartError(error)));
  parser.on('error', (error) => fail(new MalformedMultipartError(error)));
  parser.on('filesLimit', () => fail(new TooManyFilesError(maxFiles)));
  parser.on('field', (name, value, info) => {
    if (failure) return;
    if (info.valueTruncated) {
      fail(new MultipartFieldTooLargeError(name));
      return;
    }
    try {
      onField?.(name, value);
    } catch (error) {
      fail(error);
    }
  });
  parser.on('file', (field, file, info) => {
    // busboy fails a part's own stream when the body ends inside it (right after its headers,
    // say) and may say nothing else: that is the body's failure, or the request never ends.
    file.on('error', (error) => fail(new MalformedMultipartError(error)));
    if (failure) {
      file.resume();
      return;
    }
    const part = new PassThrough();
    part.on('error', ignoreError);
    parts.push(part);
    file.pipe(part, { end: false });
    const result = Promise.resolve().then(() => {
      // The body may have failed in the same turn (it ended right after this part's headers):
      // the part is destroyed already, and a consumer would wait on it for ever.
      if (failure) throw failure;
      return onFile({
        field,
        filename: info.filename ?? '',
        mimeType: info.mimeType,
        stream: part,
      });
    });
    // A consumer that stopped reading early must not hold the rest of the body back.
    result.then(() => part.resume(), fail);
    results.push(result);
  });
  parser.on('finish', () => {
    for (const part of parts) part.end();
  });
  parser.on('close', () => parsed.resolve());
  source.pipe(parser);
  await parsed.promise;
  const settled = await Promise.allSettled(results);
  if (failure) throw failure;
  return settled.map((outcome) => {
    if (outcome.status === 'rejected') throw outcome.reason;
    return outcome.value;
  });
}

export class TooManyFilesError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'too-many-files',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'TooManyFilesError';
  readonly maxFiles: number;

  constructor(maxFiles: number) {
    super(
      `At most ${maxFiles} ${maxFiles === 1 ? 'file' : 'files'} may be uploaded in one request; this body holds more file parts`,
    );
    this.maxFiles = maxFiles;
  }
}

/** A form field longer than busboy keeps (1 MiB): refused rather than silently cut. */
export class MultipartFieldTooLargeError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'field-too-large',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'MultipartFieldTooLargeError';
  readonly field: string;

  constructor(field: string) {
    super(`The form field ${JSON.stringify(field)} is longer than 1 MiB`);
    this.field = field;
  }
}

/** A multipart/form-data body that cannot be read (no boundary, cut short, garbled): 400. */
export class MalformedMultipartError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'malformed-multipart',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'MalformedMultipartError';

  constructor(cause: unknown) {
    super(
      `The multipart/form-data body cannot be read (${cause instanceof Error ? cause.message : String(cause)}): send it whole, with the boundary its Content-Type names and the closing --boundary-- line, as an HTTP client's form data does`,
      { cause },
    );
  }
}
