import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { countRowsByTable, createDatabase, type DatabaseHandle } from '@llmq/db';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  splitBytes,
  startServiceProcess,
  type TestDatabase,
} from '@llmq/testing';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HostileRequest, hostileLimits, hostileRequest } from './hostile-requests.fixture.ts';

const entry = new URL('../main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let database: DatabaseHandle;
let folder: string;
let api: ServiceProcess;
let baseUrl: URL;

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-front-door-'));
  api = startServiceProcess(entry, {
    PORT: '0',
    DATABASE_URL: testDatabase.url,
    REDIS_URL: testRedis.url,
    LLMQ_QUEUE_PREFIX: testRedis.prefix,
    STORAGE_URL: `file://${folder}/blobs`,
    LLMQ_DATA_DIR: folder,
    LLMQ_EMBEDDED_WORKER: 'false',
    LLMQ_PLUGINS: '@llmq/plugin-echo',
    LLMQ_MAX_BATCH_ITEMS: String(hostileLimits.maxBatchItems),
    LLMQ_MAX_INLINE_ATTACHMENT_BYTES: String(hostileLimits.maxInlineAttachmentBytes),
  });
  const line = await api.waitForLine(/llmq listening on/, 60_000);
  baseUrl = new URL((JSON.parse(line) as { url: string }).url);
  database = await createDatabase(testDatabase.url, { maxConnections: 2 });
}, 90_000);

afterAll(async () => {
  api?.kill('SIGTERM');
  await api?.exited;
  await database?.close();
  await testDatabase?.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

/** Send a request over its own socket, its body in separate writes; the whole answer. */
function send(hostile: HostileRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      {
        host: baseUrl.hostname,
        port: baseUrl.port,
        method: hostile.method,
        path: hostile.path,
        agent: false,
        headers: { ...hostile.headers, 'content-length': String(hostile.body.length) },
      },
      (incoming) => {
        const chunks: Buffer[] = [];
        incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
        incoming.on('end', () =>
          resolve({
            status: incoming.statusCode ?? 0,
            contentType: incoming.headers['content-type'] ?? '',
            body: Buffer.concat(chunks).toString(),
          }),
        );
        incoming.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    // A request the api never answers is a finding, named, not a test that hangs.
    outgoing.setTimeout(30_000, () => {
      resolve({ status: 0, contentType: '', body: `no answer within 30 s to ${hostile.label}` });
      outgoing.destroy();
    });
    for (const piece of splitBytes(hostile.body, hostile.cuts)) outgoing.write(piece);
    outgoing.end();
  });
}

/** Send the head and part of the body over a raw socket, then drop the connection. */
function sendAndDrop(hostile: HostileRequest): Promise<void> {
  return new Promise((resolve) => {
    const socket = connect(Number(baseUrl.port), baseUrl.hostname);
    socket.on('error', () => resolve());
    socket.on('close', () => resolve());
    socket.on('connect', () => {
      const head = [
        `${hostile.method} ${hostile.path} HTTP/1.1`,
        `host: ${baseUrl.host}`,
        ...Object.entries(hostile.headers).map(([name, value]) => `${name}: ${value}`),
        `content-length: ${hostile.body.length}`,
        '',
        '',
      ].join('\r\n');
      socket.write(head);
      const part = hostile.body.subarray(0, hostile.dropAfter);
      for (const piece of splitBytes(part, hostile.cuts)) socket.write(piece);
      socket.write(Buffer.alloc(0), () => socket.destroy());
    });
  });
}

async function countFiles(path: string): Promise<number> {
  const entries = await readdir(path, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((each) => each.isFile()).length;
}

/** Rows a refused request must never leave (api_keys and the like are not the front door's). */
async function writtenRows(): Promise<number> {
  const rows = await countRowsByTable(database.db);
  return (
    (rows.responses ?? 0) +
    (rows.conversations ?? 0) +
    (rows.attachments ?? 0) +
    (rows.attachment_owners ?? 0) +
    (rows.prompt_attachments ?? 0) +
    (rows.batches ?? 0) +
    (rows.files ?? 0)
  );
}

/** Whether an answer is a refusal in the shape its face speaks, with a detail to act on. */
function isShapedRefusal(path: string, answer: Answer): boolean {
  if (answer.status < 400 || answer.status >= 500) return false;
  const body = JSON.parse(answer.body) as {
    detail?: string;
    error?: { message?: string; type?: string };
  };
  if (path.startsWith('/openai/v1')) {
    return (
      answer.contentType.startsWith('application/json') &&
      typeof body.error?.message === 'string' &&
      body.error.type === 'invalid_request_error'
    );
  }
  return answer.contentType.startsWith('application/problem+json') && Boolean(body.detail);
}

const alive = () => api.child.exitCode === null && api.child.signalCode === null;

describe('the front door, over real sockets to a real api process', () => {
  it('survives a hostile corpus: every answer a shaped 4xx, no 5xx, no rows, no blobs', async () => {
    const count = Number(process.env.FUZZ_REQUESTS ?? 1000);
    const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 2_147_483_647);
    // Said first, so a run that never ends can still be replayed (FUZZ_SEED).
    console.log(`front-door fuzz: seed ${seed}`);
    const corpus = fc.sample(hostileRequest, { numRuns: count, seed });
    const unexpected: string[] = [];
    let serverErrors = 0;
    let next = 0;
    // A few clients at once, as a real front door sees them.
    const client = async () => {
      while (next < corpus.length) {
        const hostile = corpus[next++] as HostileRequest;
        if (hostile.dropAfter !== undefined) {
          await sendAndDrop(hostile);
          continue;
        }
        const answer = await send(hostile);
        if (answer.status >= 500) serverErrors++;
        if (!isShapedRefusal(hostile.path, answer) && unexpected.length < 5) {
          unexpected.push(`${hostile.label}: ${answer.status} ${answer.body.slice(0, 300)}`);
        }
      }
    };
    await Promise.all(Array.from({ length: 6 }, client));
    const healthy = await fetch(new URL('/healthz', baseUrl)).catch(() => undefined);
    const crashes = alive() ? 0 : 1;
    const rows = await writtenRows();
    const blobs = await countFiles(join(folder, 'blobs'));
    console.log(
      `front-door fuzz: ${corpus.length} requests, ${crashes} crashes, ${serverErrors} 5xx, ${rows} rows, ${blobs} blobs (seed ${seed})`,
    );
    expect(unexpected).toEqual([]);
    expect({ crashes, serverErrors, rows, blobs }).toEqual({
      crashes: 0,
      serverErrors: 0,
      rows: 0,
      blobs: 0,
    });
    expect(healthy?.status).toBe(200);
    expect(api.lines.filter((line) => line.includes('"level":50'))).toEqual([]);
  }, 600_000);
});

const run = promisify(execFile);

/** A multipart body as a client writes it, of fields and one JSONL file, unclosed on request. */
function form(parts: ReadonlyArray<[string, string, string?]>, closed = true): Buffer {
  const text = parts
    .map(
      ([name, value, filename]) =>
        `--b\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ''}\r\n\r\n${value}\r\n`,
    )
    .join('');
  return Buffer.from(closed ? `${text}--b--\r\n` : text);
}

const multipartHeaders = { 'content-type': 'multipart/form-data; boundary=b' };
const post = (path: string, body: Buffer, headers: Record<string, string> = multipartHeaders) =>
  send({ label: path, method: 'POST', path, headers, body, cuts: [] });

describe('each defect of the front door, against the same process', () => {
  it("the issue's curl repro (a bad first line while the file streams) answers a problem and the api lives", async () => {
    const body = join(folder, 'c.bin');
    // The repro's body has two defects: its first line is not JSON, and it has no closing
    // boundary. Which one the api meets first depends on how the bytes arrive: 422 or 400.
    await writeFile(
      body,
      '--b\r\nContent-Disposition: form-data; name="model"\r\n\r\necho\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="items.jsonl"\r\n\r\n{broken\n{"prompt":"x"}\n',
    );
    const { stdout } = await run('curl', [
      '-sS',
      '-X',
      'POST',
      new URL('/v1/batches', baseUrl).toString(),
      '-H',
      'content-type: multipart/form-data; boundary=b',
      '--data-binary',
      `@${body}`,
      '-w',
      '\n%{http_code} %{content_type}',
    ]);
    const [json, status] = stdout.split('\n');
    expect(['422 application/problem+json', '400 application/problem+json']).toContain(status);
    expect((JSON.parse(json ?? '') as { type: string }).type).toMatch(
      /^urn:llmq:problem:(invalid-jsonl|malformed-multipart)$/,
    );
    expect(alive()).toBe(true);
    expect((await fetch(new URL('/healthz', baseUrl))).status).toBe(200);
  });

  it('a bad first line in a well-formed body answers 422 naming the line, while the file streams', async () => {
    const answer = await post(
      '/v1/batches',
      Buffer.from(
        '--b\r\nContent-Disposition: form-data; name="model"\r\n\r\necho\r\n--b\r\nContent-Disposition: form-data; name="file"; filename="items.jsonl"\r\n\r\n{broken\n{"prompt":"x"}\n\r\n--b--\r\n',
      ),
    );
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'urn:llmq:problem:invalid-jsonl',
      errors: [{ path: 'line 1', message: 'not valid JSON' }],
    });
    expect(alive()).toBe(true);
  });

  it('more JSONL lines than LLMQ_MAX_BATCH_ITEMS answer 413 while the body streams', async () => {
    const lines = '{"prompt":"x"}\n'.repeat(hostileLimits.maxBatchItems + 1);
    const answer = await post(
      '/v1/batches',
      form(
        [
          ['model', 'echo'],
          ['file', lines, 'a.jsonl'],
        ],
        false,
      ),
    );
    expect(answer.status).toBe(413);
    expect(answer.body).toContain('LLMQ_MAX_BATCH_ITEMS');
  });

  it('two file parts to /v1/batches answer 400 too-many-files', async () => {
    const line = '{"prompt":"x"}\n';
    const answer = await post(
      '/v1/batches',
      form([
        ['model', 'echo'],
        ['file', line, 'a.jsonl'],
        ['file', line, 'b.jsonl'],
      ]),
    );
    expect(answer.status).toBe(400);
    expect(answer.contentType).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(answer.body)).toMatchObject({ type: 'urn:llmq:problem:too-many-files' });
  });

  it('a body without its closing boundary answers 400 on all three upload routes, storing nothing', async () => {
    const batch = await post(
      '/v1/batches',
      form(
        [
          ['model', 'echo'],
          ['file', '{"prompt":"x"}\n', 'a.jsonl'],
        ],
        false,
      ),
    );
    const upload = await post('/v1/attachments', form([['file', 'hello', 'a.txt']], false));
    const file = await post(
      '/openai/v1/files',
      form(
        [
          ['purpose', 'batch'],
          ['file', '{"custom_id":"a"}\n', 'a.jsonl'],
        ],
        false,
      ),
    );
    for (const answer of [batch, upload]) {
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body)).toMatchObject({
        type: 'urn:llmq:problem:malformed-multipart',
      });
    }
    expect(file.status).toBe(400);
    expect(JSON.parse(file.body)).toMatchObject({
      error: { type: 'invalid_request_error', code: 'malformed_multipart' },
    });
    expect(await writtenRows()).toBe(0);
    expect(await countFiles(join(folder, 'blobs'))).toBe(0);
  });

  it("a body that ends right after a file part's headers answers 400 on every upload route (it hung)", async () => {
    // The fuzz found it (seed 1012978729): busboy failed the part in the same turn it was
    // handed out, before the blob store listened to it, and the upload waited for ever.
    const head = (field: string, filename: string) =>
      `--b\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: image/png\r\n\r\n`;
    const purpose = '--b\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n';
    const model = '--b\r\nContent-Disposition: form-data; name="model"\r\n\r\necho\r\n';
    const answers = await Promise.all([
      post('/v1/attachments', Buffer.from(head('file', 'a.png'))),
      post('/openai/v1/files', Buffer.from(purpose + head('file', 'a.jsonl'))),
      post('/v1/batches', Buffer.from(model + head('file', 'a.jsonl'))),
    ]);
    expect(answers.map((answer) => answer.status)).toEqual([400, 400, 400]);
    expect(alive()).toBe(true);
    expect(await writtenRows()).toBe(0);
    expect(await countFiles(join(folder, 'blobs'))).toBe(0);
  });

  it('a prompt with an inline text/plain attachment answers 422 and writes no row and no blob', async () => {
    const answer = await post(
      '/v1/prompts',
      Buffer.from(
        JSON.stringify({
          model: 'echo',
          prompt: 'read this',
          attachments: [
            { content: Buffer.from('plain words').toString('base64'), type: 'text/plain' },
          ],
        }),
      ),
      { 'content-type': 'application/json' },
    );
    expect(answer.status).toBe(422);
    expect(JSON.parse(answer.body)).toMatchObject({
      type: 'urn:llmq:problem:unsupported-attachment-type',
    });
    expect(await writtenRows()).toBe(0);
    expect(await countFiles(join(folder, 'blobs'))).toBe(0);
  });

  it('the counts above see what an accepted upload writes (so their zeros mean something)', async () => {
    const answer = await post('/v1/attachments', form([['file', 'hello', 'a.txt']]));
    expect(answer.status).toBe(201);
    expect(await writtenRows()).toBeGreaterThan(0);
    expect(await countFiles(join(folder, 'blobs'))).toBe(1);
  });
});
