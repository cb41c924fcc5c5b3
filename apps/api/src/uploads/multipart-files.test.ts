import { PayloadTooLargeError } from '@llmq/engine';
import { splitBytes } from '@llmq/testing';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidJsonlError, readJsonlItems } from './jsonl-items.ts';
import {
  forEachMultipartFile,
  MalformedMultipartError,
  MultipartFieldTooLargeError,
  TooManyFilesError,
} from './multipart-files.ts';

interface FieldPart {
  readonly kind: 'field';
  readonly name: string;
  readonly value: string;
}

interface FilePartModel {
  readonly kind: 'file';
  readonly name: string;
  readonly filename: string;
  readonly mimeType: string;
  readonly content: Uint8Array;
}

type PartModel = (FieldPart | FilePartModel) & {
  /** Extra header lines, in odd spellings: they must change nothing. */
  readonly extraHeaders: readonly string[];
};

/** How the consumer of each file behaves. */
type Consumer = 'reads-all' | 'ignores' | 'fails-after-first-chunk';

class ConsumerError extends Error {
  override readonly name = 'ConsumerError';
}

const boundaryCharacters = fc.constantFrom(
  ..."abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=?".split(''),
);
const boundary = fc.string({ unit: boundaryCharacters, minLength: 1, maxLength: 70 });
const token = fc.stringMatching(/^[A-Za-z0-9_.-]{1,20}$/);
// busboy keeps a filename's last path segment only: "." and ".." name nothing.
const filename = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9_.-]{0,19}$/);
const extraHeaders = fc.array(
  fc
    .tuple(
      fc.constantFrom('X-Odd', 'x-ODD-header', 'Content-Transfer-Encoding', 'X-Empty'),
      fc.string({ unit: fc.constantFrom(...'abc XYZ09;=,"\t'.split('')), maxLength: 200 }),
    )
    .map(([name, value]) =>
      name === 'Content-Transfer-Encoding' ? `${name}: binary` : `${name}: ${value.trim()}`,
    ),
  { maxLength: 3 },
);
const field = fc.record({
  kind: fc.constant('field' as const),
  name: token,
  value: fc.string({ maxLength: 300 }),
  extraHeaders,
});
const file = fc.record({
  kind: fc.constant('file' as const),
  name: token,
  filename,
  mimeType: fc.constantFrom('text/plain', 'image/png', 'application/jsonl', 'application/x-odd'),
  content: fc.oneof(
    fc.uint8Array({ maxLength: 3000 }),
    fc.string({ maxLength: 500 }).map((text) => new Uint8Array(Buffer.from(text))),
    fc.constant(new Uint8Array(Buffer.from('\r\n-\r\n--\r\n\r\n--'))),
  ),
  extraHeaders,
});

function partBytes(part: PartModel): Buffer {
  const headers =
    part.kind === 'field'
      ? [`Content-Disposition: form-data; name="${part.name}"`]
      : [
          `Content-Disposition: form-data; name="${part.name}"; filename="${part.filename}"`,
          `Content-Type: ${part.mimeType}`,
        ];
  const head = Buffer.from(`${[...headers, ...part.extraHeaders].join('\r\n')}\r\n\r\n`);
  return Buffer.concat([head, part.kind === 'field' ? Buffer.from(part.value) : part.content]);
}

/** A well-formed body, and where its closing delimiter ends (cutting before it breaks it). */
function bodyOf(parts: readonly PartModel[], boundaryText: string, preamble: string) {
  const delimiter = `\r\n--${boundaryText}`;
  const pieces: Buffer[] = [Buffer.from(`${preamble}--${boundaryText}`)];
  for (const [index, part] of parts.entries()) {
    pieces.push(Buffer.from('\r\n'), partBytes(part));
    pieces.push(Buffer.from(index === parts.length - 1 ? `${delimiter}--` : delimiter));
  }
  if (parts.length === 0) pieces.push(Buffer.from('--'));
  const complete = Buffer.concat(pieces).length;
  pieces.push(Buffer.from('\r\n'));
  return { bytes: Buffer.concat(pieces), complete };
}

/** A part whose bytes would end early because they hold the delimiter: not a valid model. */
function holdsDelimiter(part: PartModel, boundaryText: string): boolean {
  const delimiter = Buffer.from(`\r\n--${boundaryText}`);
  const bytes = part.kind === 'field' ? Buffer.from(part.value) : Buffer.from(part.content);
  return Buffer.concat([bytes, delimiter]).indexOf(delimiter) !== bytes.length;
}

/** A request whose body arrives in these chunks, then ends (or fails, as a dropped socket). */
function requestOf(contentType: string, chunks: readonly Buffer[], dropped = false): Request {
  let next = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = chunks[next++];
      if (chunk) controller.enqueue(new Uint8Array(chunk));
      else if (dropped) controller.error(new Error('aborted'));
      else controller.close();
    },
  });
  return new Request('http://llmq.test/upload', {
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
    duplex: 'half',
  } as RequestInit);
}

/** Parse as a route does; `anyFileEnded` says whether a consumer could have committed a file. */
async function parse(request: Request, maxFiles: number, consumer: Consumer) {
  const fields: Array<[string, string]> = [];
  let anyFileEnded = false;
  const files = await forEachMultipartFile(
    request,
    maxFiles,
    async (part) => {
      part.stream.on('end', () => {
        anyFileEnded = true;
      });
      if (consumer === 'ignores') return undefined;
      const chunks: Buffer[] = [];
      for await (const chunk of part.stream) {
        chunks.push(chunk as Buffer);
        if (consumer === 'fails-after-first-chunk') throw new ConsumerError('the consumer gave up');
      }
      return {
        field: part.field,
        filename: part.filename,
        mimeType: part.mimeType,
        content: Buffer.concat(chunks).toString('hex'),
      };
    },
    (name, value) => fields.push([name, value]),
  );
  return { files, fields, anyFileEnded };
}

const parts = fc.array(fc.oneof(field, file), { maxLength: 6 });
const cuts = fc.array(fc.nat(), { maxLength: 12 });
const preamble = fc.constantFrom('', 'a preamble to ignore\r\n');
const maxFiles = fc.integer({ min: 1, max: 4 });
const options = { numRuns: 300, timeout: 10_000 } as const;

describe('forEachMultipartFile, against a model of the body', () => {
  it('a well-formed body in any chunks gives exactly its fields and files', async () => {
    await fc.assert(
      fc.asyncProperty(
        parts,
        boundary,
        preamble,
        cuts,
        fc.constantFrom<Consumer>('reads-all', 'ignores'),
        async (model, boundaryText, prefix, cutPoints, consumer) => {
          fc.pre(!model.some((part) => holdsDelimiter(part, boundaryText)));
          const files = model.filter((part) => part.kind === 'file');
          const { bytes } = bodyOf(model, boundaryText, prefix);
          const request = requestOf(
            `multipart/form-data; boundary="${boundaryText}"`,
            splitBytes(bytes, cutPoints),
          );
          const outcome = await parse(request, Math.max(files.length, 1), consumer);
          expect(outcome.fields).toEqual(
            model.flatMap((part) => (part.kind === 'field' ? [[part.name, part.value]] : [])),
          );
          expect(outcome.files).toEqual(
            files.map((part) =>
              consumer === 'ignores'
                ? undefined
                : {
                    field: part.name,
                    filename: part.filename,
                    mimeType: part.mimeType,
                    content: Buffer.from(part.content).toString('hex'),
                  },
            ),
          );
        },
      ),
      options,
    );
  });

  it('a body cut short anywhere before its closing boundary (ended or dropped) is malformed, and no file stream ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        parts,
        boundary,
        preamble,
        fc.nat(),
        cuts,
        fc.boolean(),
        async (model, boundaryText, prefix, cutAt, cutPoints, dropped) => {
          fc.pre(!model.some((part) => holdsDelimiter(part, boundaryText)));
          const { bytes, complete } = bodyOf(model, boundaryText, prefix);
          const truncated = bytes.subarray(0, cutAt % complete);
          let ended = false;
          const request = requestOf(
            `multipart/form-data; boundary=${JSON.stringify(boundaryText)}`,
            splitBytes(truncated, cutPoints),
            dropped,
          );
          const outcome = parse(request, 10, 'reads-all').then((result) => {
            ended = result.anyFileEnded;
            return result;
          });
          await expect(outcome).rejects.toBeInstanceOf(MalformedMultipartError);
          expect(ended).toBe(false);
        },
      ),
      options,
    );
  });

  it('a body under another boundary than its Content-Type names, or none, is malformed', async () => {
    await fc.assert(
      fc.asyncProperty(
        parts,
        boundary,
        cuts,
        fc.constantFrom('wrong', 'missing', 'not multipart'),
        async (model, boundaryText, cutPoints, mistake) => {
          fc.pre(!model.some((part) => holdsDelimiter(part, boundaryText)));
          const { bytes } = bodyOf(model, boundaryText, '');
          const contentType =
            mistake === 'wrong'
              ? `multipart/form-data; boundary="${boundaryText}Z"`
              : mistake === 'missing'
                ? 'multipart/form-data'
                : 'text/plain';
          await expect(
            parse(requestOf(contentType, splitBytes(bytes, cutPoints)), 10, 'reads-all'),
          ).rejects.toBeInstanceOf(MalformedMultipartError);
        },
      ),
      options,
    );
  });

  it('more file parts than allowed: TooManyFilesError, and no file stream ends', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(file, { minLength: 2, maxLength: 6 }),
        boundary,
        maxFiles,
        cuts,
        async (files, boundaryText, limit, cutPoints) => {
          fc.pre(files.length > limit);
          fc.pre(!files.some((part) => holdsDelimiter(part, boundaryText)));
          const { bytes } = bodyOf(files, boundaryText, '');
          let ended = false;
          const outcome = parse(
            requestOf(
              `multipart/form-data; boundary="${boundaryText}"`,
              splitBytes(bytes, cutPoints),
            ),
            limit,
            'reads-all',
          ).then((result) => {
            ended = result.anyFileEnded;
          });
          await expect(outcome).rejects.toBeInstanceOf(TooManyFilesError);
          expect(ended).toBe(false);
        },
      ),
      options,
    );
  });

  it("a consumer's own failure is what the parse rejects with", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.oneof(field, file), { maxLength: 5 }),
        file.filter((part) => part.content.length > 0),
        boundary,
        cuts,
        async (others, failing, boundaryText, cutPoints) => {
          const model = [...others, failing];
          fc.pre(!model.some((part) => holdsDelimiter(part, boundaryText)));
          const { bytes } = bodyOf(model, boundaryText, '');
          await expect(
            parse(
              requestOf(
                `multipart/form-data; boundary="${boundaryText}"`,
                splitBytes(bytes, cutPoints),
              ),
              10,
              'fails-after-first-chunk',
            ),
          ).rejects.toBeInstanceOf(ConsumerError);
        },
      ),
      options,
    );
  });

  it('a JSONL reader that stops early (bad line, too many items) fails the parse with its own error, whatever follows', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('bad first line', 'too many items'),
        fc.constantFrom('whole', 'no closing boundary', 'dropped'),
        fc.integer({ min: 0, max: 3000 }),
        cuts,
        async (fault, ending, padding, cutPoints) => {
          const jsonl =
            fault === 'bad first line'
              ? `{broken\n${'{"prompt":"x"}\n'.repeat(padding)}`
              : '{"prompt":"x"}\n'.repeat(4 + padding);
          const { bytes, complete } = bodyOf(
            [
              { kind: 'field', name: 'model', value: 'echo', extraHeaders: [] },
              {
                kind: 'file',
                name: 'file',
                filename: 'items.jsonl',
                mimeType: 'application/jsonl',
                content: new Uint8Array(Buffer.from(jsonl)),
                extraHeaders: [],
              },
            ],
            'b',
            '',
          );
          const sent = ending === 'whole' ? bytes : bytes.subarray(0, complete - 5);
          const request = requestOf(
            'multipart/form-data; boundary=b',
            splitBytes(sent, cutPoints),
            ending === 'dropped',
          );
          const failure = await forEachMultipartFile(request, 1, (part) =>
            readJsonlItems(part.stream, {
              maxItems: 3,
              maxLineBytes: 1024 * 1024,
              lineSetting: 'LLMQ_MAX_JSON_BYTES',
            }),
          ).catch((error: unknown) => error);
          const own = fault === 'bad first line' ? InvalidJsonlError : PayloadTooLargeError;
          // A body that broke may break before the reader reached its fault: either is right.
          if (ending === 'whole') expect(failure).toBeInstanceOf(own);
          else expect([own, MalformedMultipartError]).toContain(failure?.constructor);
        },
      ),
      options,
    );
  });

  it('a part header past 16 KiB is malformed; a field past 1 MiB is refused, not cut', async () => {
    const huge = `X-Huge: ${'h'.repeat(17 * 1024)}`;
    const headerBody = bodyOf(
      [{ kind: 'field', name: 'a', value: 'b', extraHeaders: [huge] }],
      'b',
      '',
    );
    await expect(
      parse(requestOf('multipart/form-data; boundary=b', [headerBody.bytes]), 1, 'reads-all'),
    ).rejects.toBeInstanceOf(MalformedMultipartError);
    const fieldBody = bodyOf(
      [{ kind: 'field', name: 'prompt', value: 'p'.repeat(1024 * 1024 + 1), extraHeaders: [] }],
      'b',
      '',
    );
    await expect(
      parse(requestOf('multipart/form-data; boundary=b', [fieldBody.bytes]), 1, 'reads-all'),
    ).rejects.toBeInstanceOf(MultipartFieldTooLargeError);
  });
});
