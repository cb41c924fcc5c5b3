import { countRowsByTable } from '@llmq/db/reads';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { useApi } from './api.fixture.ts';

const api = useApi({ maxAttachmentBytes: 256 * 1024, maxJsonBytes: 256 * 1024 });
let cases = 0;

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly parameters: ReadonlyArray<{ name: string; in: string }>;
}

const hostileString = fc.oneof(
  fc.string(),
  fc.string({ unit: 'grapheme', maxLength: 50 }),
  fc.constantFrom(
    '../../etc/passwd',
    '%00',
    '\u0000',
    "' OR 1=1 --",
    '<script>alert(1)</script>',
    `\${jndi:x}`,
    '0',
    '-1',
    'null',
    '[]',
    '{}',
  ),
  fc.string({ minLength: 1000, maxLength: 5000 }),
  fc.stringMatching(/^[0-9a-f]{64}$/),
  fc.ulid(),
);

/** What an HTTP client can send as a header value at all: bytes, no line breaks. */
const headerValue = hostileString.map((value) =>
  value.replace(/[^\u0020-\u007e\u0080-\u00ff]/g, '').slice(0, 2000),
);

const body = fc.oneof(
  fc.jsonValue().map((value) => JSON.stringify(value)),
  fc.constantFrom(
    '{',
    '{"model":',
    '[1,2',
    'null',
    '""',
    '{"model":"echo","prompt":',
    '\u0000\u0001',
    '',
  ),
  fc
    .record({
      model: fc.oneof(fc.constant('echo'), hostileString),
      prompt: fc.option(hostileString, { nil: undefined }),
      options: fc.option(fc.dictionary(fc.string(), fc.jsonValue()), { nil: undefined }),
      attachments: fc.option(fc.array(fc.jsonValue(), { maxLength: 3 }), { nil: undefined }),
      items: fc.option(fc.array(fc.jsonValue(), { maxLength: 3 }), { nil: undefined }),
      conversation_id: fc.option(hostileString, { nil: undefined }),
    })
    .map((value) => JSON.stringify(value)),
  fc.uint8Array({ maxLength: 2048 }),
);

const contentType = fc.constantFrom(
  'application/json',
  'application/json; charset=utf-8',
  'text/plain',
  'multipart/form-data',
  'multipart/form-data; boundary=xyz',
  'application/x-www-form-urlencoded',
  'image/png',
  'application/octet-stream',
  'garbage/\u00ff',
  '',
);

async function rowCounts(): Promise<string> {
  return JSON.stringify(await countRowsByTable(api().services.database.db));
}

async function operations(): Promise<Operation[]> {
  const document = (await (await api().app.request('/openapi.json')).json()) as {
    paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
  };
  // The OpenAI-compatible facade answers errors in OpenAI's shape, not problem+json:
  // openai-fuzz.int.test.ts sends it hostile requests of its own.
  const llmqPaths = Object.entries(document.paths).filter(([path]) => !path.startsWith('/openai/'));
  return llmqPaths.flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, operation]) => ({
      method: method.toUpperCase(),
      path,
      parameters: operation.parameters ?? [],
    })),
  );
}

afterAll(() => {
  console.log(`fuzz: ${cases} hostile requests over every route of the OpenAPI document`);
});

describe('hostile requests', () => {
  it('never get a 5xx, never hang, and a rejected one writes no row', async () => {
    const all = await operations();
    expect(all.length).toBeGreaterThan(20);
    for (const operation of all) {
      await fc.assert(
        fc.asyncProperty(
          fc.dictionary(fc.constantFrom('id', 'x'), hostileString),
          fc.dictionary(
            fc.oneof(
              fc.constantFrom(
                ...operation.parameters
                  .filter((parameter) => parameter.in === 'query')
                  .map((parameter) => parameter.name),
                'q',
                'limit',
                'wait',
                'cursor',
                'status',
              ),
              fc.string({ maxLength: 10 }),
            ),
            hostileString,
            { maxKeys: 4 },
          ),
          body,
          contentType,
          fc.option(
            fc.record(
              { 'last-event-id': headerValue, 'idempotency-key': headerValue, range: headerValue },
              { requiredKeys: [] },
            ),
            { nil: undefined },
          ),
          fc.boolean(),
          async (pathValues, query, requestBody, type, headers, encode) => {
            const path = operation.path.replace(/\{(\w+)\}/g, (_match, name: string) => {
              const value = pathValues.id ?? pathValues.x ?? name;
              return encode ? encodeURIComponent(value) : value;
            });
            let url: URL;
            try {
              url = new URL(path, 'http://llmq.test');
            } catch {
              return;
            }
            for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
            // A stream of something real would wait for its end: never ask for one.
            url.searchParams.delete('wait');
            const before = await rowCounts();
            cases++;
            const response = await Promise.race([
              api().app.request(`${url.pathname}${url.search}`, {
                method: operation.method,
                headers: { ...(type ? { 'content-type': type } : {}), ...(headers ?? {}) },
                body:
                  operation.method === 'GET' || operation.method === 'DELETE'
                    ? undefined
                    : requestBody,
              }),
              new Promise<never>((_resolve, reject) =>
                setTimeout(() => reject(new Error(`${operation.method} ${url} hung`)), 10_000),
              ),
            ]);
            const text = await response.text();
            expect(
              response.status,
              `${operation.method} ${url.pathname}${url.search}: ${text.slice(0, 300)}`,
            ).toBeLessThan(500);
            if (response.status >= 400) {
              expect(response.headers.get('content-type')).toContain('application/problem+json');
              expect(
                await rowCounts(),
                `${operation.method} ${url.pathname} was refused but wrote`,
              ).toBe(before);
            }
          },
        ),
        { numRuns: Number(process.env.FUZZ_RUNS ?? 25) },
      );
    }
  }, 300_000);
});
