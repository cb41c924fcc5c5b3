import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listPrompts } from '@llmq/db';
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
import { problemOf } from './api.fixture.ts';
import { createApiMetrics } from './api-metrics.ts';
import { createApp } from './app.ts';
import { Authenticator } from './authenticator.ts';

const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let redisProxy: TcpProxy;
let databaseProxy: TcpProxy;
let services: Services;
let folder: string;
let app: ReturnType<typeof createApp>;

const post = (body: unknown) =>
  app.request('/v1/prompts', {
    method: 'POST',
    body: JSON.stringify(body),
    headers: { 'content-type': 'application/json' },
  });

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
});

afterAll(async () => {
  redisProxy.restore();
  databaseProxy.restore();
  await services?.close();
  await redisProxy?.close();
  await databaseProxy?.close();
  await testDatabase?.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

describe('when Redis or the database goes away', () => {
  it('answers 503 without Redis, writes no row, stays up, and serves again when it is back', async () => {
    expect((await post({ model: 'echo', prompt: 'before' })).status).toBe(202);
    redisProxy.cut();
    const problem = await problemOf(
      await post({ model: 'echo', prompt: 'during the outage' }),
      503,
    );
    expect(problem.detail).toBe('Redis is not reachable right now; try again shortly');
    expect((await app.request('/healthz')).status).toBe(200);
    const readiness = (await (await app.request('/readyz')).json()) as {
      checks: { redis: { status: string } };
    };
    expect(readiness.checks.redis.status).toBe('unavailable');
    const during = await listPrompts(services.database.db, { q: 'outage' });
    expect(during.items).toEqual([]);
    redisProxy.restore();
    await waitFor(
      async () => (await post({ model: 'echo', prompt: 'after' })).status === 202,
      'the api to serve again',
      15_000,
      200,
    );
  });

  it('answers 503 without the database, and serves again when it is back', async () => {
    databaseProxy.cut();
    const problem = await problemOf(await app.request('/v1/prompts'), 503);
    expect(problem.detail).toBe('The database is not reachable right now; try again shortly');
    const readiness = (await (await app.request('/readyz')).json()) as {
      status: string;
      checks: { database: { status: string } };
    };
    expect(readiness).toMatchObject({
      status: 'unavailable',
      checks: { database: { status: 'unavailable' } },
    });
    databaseProxy.restore();
    await waitFor(
      async () => (await app.request('/v1/prompts')).status === 200,
      'the database to answer',
      15_000,
      200,
    );
  });
});
