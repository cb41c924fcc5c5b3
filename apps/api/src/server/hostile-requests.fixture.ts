import fc from 'fast-check';

/** One request a hostile or broken client sends; every one of them must be refused. */
export interface HostileRequest {
  readonly label: string;
  readonly method: 'POST';
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** Send only this many bytes of the body, then drop the connection: no answer is awaited. */
  readonly dropAfter?: number | undefined;
  /** Where the body is split into separate writes, so it arrives as a stream does. */
  readonly cuts: readonly number[];
}

/** The limits the api under test runs with (its environment), which the corpus goes past. */
export const hostileLimits = { maxBatchItems: 5, maxInlineAttachmentBytes: 4096 } as const;

const boundaryCharacters = fc.constantFrom(
  ...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_'.split(''),
);
const boundary = fc.string({ unit: boundaryCharacters, minLength: 1, maxLength: 60 });
const item = fc
  .record({ custom_id: fc.string({ maxLength: 10 }), prompt: fc.string({ maxLength: 40 }) })
  .map((value) => JSON.stringify(value));
const brokenLine = fc.constantFrom('{broken', '{"prompt":', 'nope', '[1,]', "{'a':1}", '\u0000{}');
const odd = fc.constantFrom('', 'X-Odd: yes\r\n', `X-Long: ${'v'.repeat(2000)}\r\n`);

interface Part {
  readonly name: string;
  readonly filename?: string;
  readonly type?: string;
  readonly content: Buffer;
  readonly extra?: string;
}

function multipart(parts: readonly Part[], boundaryText: string, closed = true): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data; name="${part.name}"${part.filename === undefined ? '' : `; filename="${part.filename}"`}`;
    const type = part.type ? `Content-Type: ${part.type}\r\n` : '';
    pieces.push(
      Buffer.from(`--${boundaryText}\r\n${disposition}\r\n${type}${part.extra ?? ''}\r\n`),
      part.content,
      Buffer.from('\r\n'),
    );
  }
  if (closed) pieces.push(Buffer.from(`--${boundaryText}--\r\n`));
  return Buffer.concat(pieces);
}

const jsonlFile = (lines: readonly string[], extra = ''): Part => ({
  name: 'file',
  filename: 'items.jsonl',
  type: 'application/jsonl',
  content: Buffer.from(`${lines.join('\n')}\n`),
  extra,
});

/** A JSONL that is always refused: a broken line somewhere, or more lines than the limit. */
const refusedJsonl = fc.oneof(
  fc
    .tuple(fc.array(item, { maxLength: 4 }), brokenLine, fc.array(item, { maxLength: 30 }))
    .map(([before, bad, after]) => [...before, bad, ...after]),
  fc.array(item, { minLength: hostileLimits.maxBatchItems + 1, maxLength: 400 }),
);
const anyJsonl = fc.oneof(refusedJsonl, fc.array(item, { minLength: 1, maxLength: 5 }));

const uploadFile = fc.record({
  name: fc.constantFrom('file', 'upload'),
  filename: fc.constantFrom('a.png', 'notes.txt', 'items.jsonl', 'x'),
  type: fc.constantFrom('image/png', 'text/plain', 'application/octet-stream'),
  content: fc.uint8Array({ minLength: 1, maxLength: 5000 }).map((bytes) => Buffer.from(bytes)),
  extra: odd,
});

type Mistake = 'unclosed' | 'wrong boundary' | 'no boundary' | 'cut short';

/** A multipart body with a mistake that makes it unreadable whatever its parts hold. */
function broken(parts: readonly Part[], boundaryText: string, mistake: Mistake, cut: number) {
  const whole = multipart(parts, boundaryText);
  const body =
    mistake === 'unclosed'
      ? multipart(parts, boundaryText, false)
      : mistake === 'cut short'
        ? whole.subarray(0, cut % (whole.length - `--${boundaryText}--\r\n`.length))
        : whole;
  const contentType =
    mistake === 'wrong boundary'
      ? `multipart/form-data; boundary=${boundaryText}x`
      : mistake === 'no boundary'
        ? 'multipart/form-data'
        : `multipart/form-data; boundary=${boundaryText}`;
  return { body, contentType };
}

const mistake = fc.constantFrom<Mistake>('unclosed', 'wrong boundary', 'no boundary', 'cut short');
const cuts = fc.array(fc.nat(), { maxLength: 8 });

const batchRequests = fc.oneof(
  // Well-formed multipart whose JSONL is refused (a bad line, too many items), or two files.
  fc
    .record({ boundary, lines: refusedJsonl, extra: odd, cuts })
    .map(({ boundary: boundaryText, lines, extra, cuts: splits }) => ({
      label: 'batch: refused JSONL',
      contentType: `multipart/form-data; boundary=${boundaryText}`,
      body: multipart(
        [
          { name: 'model', content: Buffer.from('echo') },
          { name: 'prompt', content: Buffer.from('summarise') },
          jsonlFile(lines, extra),
        ],
        boundaryText,
      ),
      cuts: splits,
    })),
  fc
    .record({ boundary, first: anyJsonl, second: anyJsonl, cuts })
    .map(({ boundary: boundaryText, first, second, cuts: splits }) => ({
      label: 'batch: two file parts',
      contentType: `multipart/form-data; boundary=${boundaryText}`,
      body: multipart(
        [{ name: 'model', content: Buffer.from('echo') }, jsonlFile(first), jsonlFile(second)],
        boundaryText,
      ),
      cuts: splits,
    })),
  fc
    .record({ boundary, lines: anyJsonl, mistake, cut: fc.nat(), cuts })
    .map(({ boundary: boundaryText, lines, mistake: kind, cut, cuts: splits }) => ({
      label: `batch: ${kind}`,
      ...broken(
        [{ name: 'model', content: Buffer.from('echo') }, jsonlFile(lines)],
        boundaryText,
        kind,
        cut,
      ),
      cuts: splits,
    })),
);

const uploadRequests = (path: string, withPurpose: boolean) =>
  fc
    .record({ boundary, files: fc.array(uploadFile, { minLength: 1, maxLength: 3 }), mistake })
    .chain((value) => fc.record({ cut: fc.nat(), cuts, value: fc.constant(value) }))
    .map(({ cut, cuts: splits, value }) => ({
      label: `${path}: ${value.mistake}`,
      ...broken(
        [
          ...(withPurpose ? [{ name: 'purpose', content: Buffer.from('batch') }] : []),
          ...value.files.slice(0, withPurpose ? 1 : 3),
        ],
        value.boundary,
        value.mistake,
        cut,
      ),
      cuts: splits,
    }));

/** Inline attachments the echo model refuses (or that are unusable): 413 or 422. */
const refusedAttachment = fc.oneof(
  fc.record({
    content: fc.string({ minLength: 1, maxLength: 200 }).map((text) => Buffer.from(text)),
    type: fc.constantFrom('text/plain', 'text/html', 'application/zip', 'video/mp4'),
  }),
  // No type declared and none recognisable in the bytes.
  fc.record({ content: fc.constant(Buffer.from('just some words')), type: fc.constant(undefined) }),
  fc.record({ content: fc.constant(Buffer.alloc(0)), type: fc.constant('image/png') }),
  fc.record({
    content: fc.constant(Buffer.alloc(hostileLimits.maxInlineAttachmentBytes + 1, 1)),
    type: fc.constant('image/png'),
  }),
);
const acceptedAttachment = fc.constant({
  content: Buffer.from('GIF89a\u0001\u0000\u0001\u0000'),
  type: 'image/gif' as string | undefined,
});

const promptRequests = fc
  .record({
    before: fc.array(acceptedAttachment, { maxLength: 2 }),
    refused: refusedAttachment,
    after: fc.array(fc.oneof(acceptedAttachment, refusedAttachment), { maxLength: 2 }),
    cuts,
  })
  .map(({ before, refused, after, cuts: splits }) => ({
    label: 'prompt: refused inline attachment',
    contentType: 'application/json',
    body: Buffer.from(
      JSON.stringify({
        model: 'echo',
        prompt: 'look at these',
        attachments: [...before, refused, ...after].map((attachment) => ({
          content: attachment.content.toString('base64'),
          ...(attachment.type ? { type: attachment.type } : {}),
        })),
      }),
    ),
    cuts: splits,
  }));

const targets = fc.oneof(
  { arbitrary: batchRequests.map((request) => ({ ...request, path: '/v1/batches' })), weight: 4 },
  {
    arbitrary: uploadRequests('/v1/attachments', false).map((request) => ({
      ...request,
      path: '/v1/attachments',
    })),
    weight: 2,
  },
  {
    arbitrary: uploadRequests('/openai/v1/files', true).map((request) => ({
      ...request,
      path: '/openai/v1/files',
    })),
    weight: 2,
  },
  { arbitrary: promptRequests.map((request) => ({ ...request, path: '/v1/prompts' })), weight: 2 },
);

/** Any hostile request; one in five is dropped mid-body (the socket closes). */
export const hostileRequest: fc.Arbitrary<HostileRequest> = fc
  .record({ target: targets, drop: fc.option(fc.nat(), { freq: 4 }) })
  .map(({ target, drop }) => ({
    label: drop === null ? target.label : `${target.label}, dropped`,
    method: 'POST',
    path: target.path,
    headers: { 'content-type': target.contentType },
    body: target.body,
    dropAfter: drop === null ? undefined : drop % Math.max(target.body.length, 1),
    cuts: target.cuts,
  }));
