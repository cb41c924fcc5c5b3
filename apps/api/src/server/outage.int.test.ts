import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { listPrompts } from '@llmq/db/reads';
import { openServices, promptServicesOf, type Services } from '@llmq/engine';
import {
  createTestDatabase,
  createTestRedis,
  startTcpProxy,
  type TcpProxy,
  type TestDatabase,
  waitFor,
} from '@llmq/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Authenticator } from '../auth/authenticator.ts';
import { createApiMetrics } from '../observability/api-metrics.ts';
import { problemOf } from './api.fixture.ts';
import { createApp } from './app.ts';

const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let redisProxy: TcpProxy;
let databaseProxy: TcpProxy;
let services: Services;
let folder: string;
let app: ReturnType<typeof createApp>;
let server: Server;
let baseUrl: string;

/** A request over a real socket to the api. */
const send = (path: string, init: RequestInit = {}) =>
  fetch(`${baseUrl}${path}`, { signal: AbortSignal.timeout(30_000), ...init });

const postJson = (path: string, body: unknown) =>
  send(path, {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

const post = (body: unknown) => postJson('/v1/prompts', body);

/**
 * How long the api took to answer, printed rather than asserted (timing assertions flake on a
 * loaded machine): docs/architecture.md states the bound these show.
 */
async function timed(label: string, request: () => Promise<Response>): Promise<Response> {
  const started = performance.now();
  let response: Response;
  try {
    response = await request();
  } catch (error) {
    console.info(`${label}: failed after ${Math.round(performance.now() - started)} ms: ${error}`);
    throw error;
  }
  const body = await response.text();
  console.info(`${label}: ${response.status} after ${Math.round(performance.now() - started)} ms`);
  return new Response(body, { status: response.status, headers: response.headers });
}

/** Each submit route, as a client would call it. */
const submits: ReadonlyArray<readonly [string, () => Promise<Response>]> = [
  ['POST /v1/prompts', () => post({ model: 'echo', prompt: 'during the outage' })],
  [
    'POST /v1/batches',
    () => postJson('/v1/batches', { model: 'echo', prompt: 'outage batch', items: [{}] }),
  ],
  [
    'POST /openai/v1/chat/completions',
    () =>
      postJson('/openai/v1/chat/completions', {
        model: 'echo',
        messages: [{ role: 'user', content: 'during the outage' }],
      }),
  ],
];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-outage-'));
  redisProxy = await startTcpProxy(Number(new URL(testRedis.url).port || 6379));
  const databaseUrl = new URL(testDatabase.url);
  databaseProxy = await startTcpProxy(Number(databaseUrl.port || 5432));
  databaseUrl.port = String(databaseProxy.port);
  const logger = pino({ level: 'silent' });
  services = await openServices({
    dataDir: folder,
    databaseUrl: databaseUrl.toString(),
    storageUrl: `file://${folder}/blobs`,
    redisUrl: `redis://127.0.0.1:${redisProxy.port}`,
    prefix: testRedis.prefix,
    plugins: ['@llmq/plugin-echo'],
    pluginSettings: {},
    importPlugin: (name) => import(name),
    jobAttempts: 3,
    retryBackoffMs: 50,
    eventTtlSeconds: 60,
    role: testRedis.prefix,
    logger,
    failFast: true,
  });
  app = createApp({
    auth: {
      authenticator: new Authenticator(services.database.db, []),
      tokenSecret: Buffer.alloc(32),
      tokenTtlSeconds: 60,
    },
    services: promptServicesOf(
      services,
      {
        maxAttachmentBytes: 1024 * 1024,
        maxInlineAttachmentBytes: 1024,
        urlFetchTimeoutMs: 1_000,
        maxBatchItems: 100,
        maxAttachmentsPerPrompt: 10,
        maxPromptChars: 10_000,
      },
      (url, init) => fetch(url, init),
    ),
    database: services.database,
    redis: [services.redis, services.logs],
    settings: {
      maxJsonBytes: 64 * 1024,
      maxChatJsonBytes: 64 * 1024,
      keepAliveMs: 1_000,
      waitSeconds: 5,
      maxBatchFileBytes: 1024 * 1024,
    },
    logger,
    metrics: createApiMetrics({ db: services.database.db, queue: services.queue }),
  });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server?.closeAllConnections();
  server?.close();
  redisProxy.restore();
  databaseProxy.restore();
  await services?.close();
  await redisProxy?.close();
  await databaseProxy?.close();
  await testDatabase?.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

/** Every 503 says which service is away and when to try again. */
async function expectUnavailable(response: Response, detail: string): Promise<void> {
  expect(response.headers.get('retry-after')).toMatch(/^[1-9][0-9]*$/);
  if (response.headers.get('content-type')?.startsWith('application/json')) {
    // The OpenAI facade answers in OpenAI's shape.
    const body = (await response.json()) as { error: { message: string; type: string } };
    expect(response.status).toBe(503);
    expect(body.error).toMatchObject({ message: detail, type: 'server_error' });
    return;
  }
  expect((await problemOf(response, 503)).detail).toBe(detail);
}

/** The events of an SSE body, as `event` names with their data. */
function eventsOf(body: string): Array<{ event: string; data: unknown }> {
  return body
    .split('\n\n')
    .filter((frame) => frame.includes('event: '))
    .map((frame) => ({
      event: /^event: (.*)$/m.exec(frame)?.[1] ?? '',
      data: JSON.parse(/^data: (.*)$/m.exec(frame)?.[1] ?? 'null'),
    }));
}

describe('when Redis or the database goes away', () => {
  it('answers 503 with Retry-After without Redis, writes no row, stays up, and serves again when it is back', async () => {
    const before = await post({ model: 'echo', prompt: 'before' });
    expect(before.status).toBe(202);
    const { id: finishedId } = (await before.json()) as { id: string };
    expect((await send(`/v1/prompts/${finishedId}/cancel`, { method: 'POST' })).status).toBe(200);
    redisProxy.cut();
    for (const [label, request] of submits) {
      await expectUnavailable(
        await timed(`Redis down, ${label}`, request),
        'Redis is not reachable right now; try again shortly',
      );
    }
    expect((await send('/healthz')).status).toBe(200);
    const readiness = (await (await send('/readyz')).json()) as {
      checks: { redis: { status: string } };
    };
    expect(readiness.checks.redis.status).toBe('unavailable');
    const during = await listPrompts(services.database.db, { q: 'outage' });
    expect(during.items).toEqual([]);
    // A finished prompt's row is final: its stream needs no Redis.
    const stream = await timed(`Redis down, GET /v1/prompts/:id/stream (finished)`, () =>
      send(`/v1/prompts/${finishedId}/stream`),
    );
    expect(stream.status).toBe(200);
    expect(eventsOf(await stream.text()).at(-1)).toEqual({
      event: 'error',
      data: expect.objectContaining({ type: 'error', status: 'cancelled' }),
    });
    redisProxy.restore();
    await waitFor(
      async () => (await post({ model: 'echo', prompt: 'after' })).status === 202,
      'the api to serve again',
      15_000,
      200,
    );
  });

  it('answers 503 with Retry-After without the database, and serves again when it is back', async () => {
    databaseProxy.cut();
    const reads = await timed('database down, GET /v1/prompts', () => send('/v1/prompts'));
    await expectUnavailable(reads, 'The database is not reachable right now; try again shortly');
    const uploads: ReadonlyArray<readonly [string, () => Promise<Response>]> = [
      [
        'POST /v1/attachments',
        () =>
          send('/v1/attachments', {
            method: 'POST',
            body: 'GIF89a during the outage',
            headers: { 'content-type': 'image/gif' },
          }),
      ],
    ];
    for (const [label, request] of [...submits, ...uploads]) {
      await expectUnavailable(
        await timed(`database down, ${label}`, request),
        'The database is not reachable right now; try again shortly',
      );
    }
    const readiness = (await (await send('/readyz')).json()) as {
      status: string;
      checks: { database: { status: string } };
    };
    expect(readiness).toMatchObject({
      status: 'unavailable',
      checks: { database: { status: 'unavailable' } },
    });
    databaseProxy.restore();
    await waitFor(
      async () => (await send('/v1/prompts')).status === 200,
      'the database to answer',
      15_000,
      200,
    );
  });
});
