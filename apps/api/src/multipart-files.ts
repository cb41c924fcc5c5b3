import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import Busboy from 'busboy';

export interface FilePart {
  readonly field: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly stream: Readable;
}

/**
 * Hand each file of a multipart/form-data body to `onFile` as it streams past (never a whole
 * file in memory). The first failure stops reading the body and is what this rejects with.
 */
export async function forEachMultipartFile<T>(
  request: Request,
  maxFiles: number,
  onFile: (part: FilePart) => Promise<T>,
  onField?: (name: string, value: string) => void,
): Promise<T[]> {
  if (!request.body) return [];
  const source = Readable.fromWeb(request.body as WebReadableStream<Uint8Array>);
  let parser: Busboy.Busboy;
  try {
    parser = Busboy({
      headers: { 'content-type': request.headers.get('content-type') ?? '' },
      limits: { files: maxFiles },
    });
  } catch (error) {
    throw new MalformedMultipartError(error);
  }
  const results: Promise<T>[] = [];
  let failure: unknown;
  const fail = (error: unknown) => {
    failure ??= error;
    source.destroy();
    parser.destroy();
  };
  await new Promise<void>((resolve) => {
    parser.on('file', (field, stream, info) => {
      const result = onFile({
        field,
        filename: info.filename ?? '',
        mimeType: info.mimeType,
        stream,
      });
      result.catch(fail);
      results.push(result);
    });
    parser.on('field', (name, value) => onField?.(name, value));
    parser.on('filesLimit', () => fail(new TooManyFilesError(maxFiles)));
    parser.on('error', (error) => {
      fail(new MalformedMultipartError(error));
      resolve();
    });
    parser.on('close', () => resolve());
    source.on('error', (error) => {
      fail(error);
      resolve();
    });
    source.pipe(parser);
  });
  if (failure !== undefined) {
    // A file's own error (say, too large) explains more than the parser's that followed it.
    const settled = await Promise.allSettled(results);
    const fileError = settled.find((outcome) => outcome.status === 'rejected');
    throw fileError?.status === 'rejected' ? fileError.reason : failure;
  }
  return Promise.all(results);
}

export class TooManyFilesError extends Error {
  override readonly name = 'TooManyFilesError';

  constructor(maxFiles: number) {
    super(`At most ${maxFiles} files may be uploaded in one request`);
  }
}

/** A multipart/form-data body that cannot be read (no boundary, cut short, garbled): 400. */
export class MalformedMultipartError extends Error {
  override readonly name = 'MalformedMultipartError';

  constructor(cause: unknown) {
    super(
      `The multipart/form-data body cannot be read (${cause instanceof Error ? cause.message : String(cause)}): send it with its boundary, as an HTTP client's form data does`,
      { cause },
    );
  }
}
