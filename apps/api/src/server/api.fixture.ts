import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { LlmqClient } from '@llmq/client';
import {
  type ModelPrices,
  parseEnvironment,
  sharedEnvironmentSchema,
  workerEnvironmentSchema,
} from '@llmq/contracts';
import type { HttpFetch } from '@llmq/core';
import {
  createPublicFetch,
  openServices,
  type PromptWorker,
  promptServicesOf,
  type Services,
  servicesConfigOf,
  startPromptWorker,
  workerOptionsOf,
} from '@llmq/engine';
import { createRedisConnection } from '@llmq/queue';
import {
  type AnthropicCompatibleServer,
  type AnthropicCompatibleServerOptions,
  createTestDatabase,
  createTestRedis,
  type OpenAICompatibleServer,
  type OpenAICompatibleServerOptions,
  startAnthropicCompatibleServer,
  startOpenAICompatibleServer,
  type TestDatabase,
} from '@llmq/testing';
import type { Redis } from 'ioredis';
import { type Logger, pino } from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { Authenticator } from '../auth/authenticator.ts';
import { streamTokenSecret } from '../auth/token-secret.ts';
import { createApiMetrics } from '../observability/api-metrics.ts';
import type { ApiDependencies, ApiSettings } from './api-dependencies.ts';
import type { ApiEnv } from './api-env.ts';
import { createApp } from './app.ts';

export interface ApiHarness {
  readonly app: OpenAPIHono<ApiEnv>;
  readonly deps: ApiDependencies;
  readonly services: Services;
  readonly baseUrl: string;
  readonly client: LlmqClient;
  readonly openai: OpenAICompatibleServer;
  /** The local Anthropic-compatible server, when `anthropicServer` was given. */
  readonly anthropic: AnthropicCompatibleServer | undefined;
  readonly worker: PromptWorker;
  /** A JSON request to the app in process. */
  request(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<Response>;
}

export interface ApiHarnessOptions {
  readonly maxAttachmentBytes?: number;
  readonly maxInlineAttachmentBytes?: number;
  readonly maxJsonBytes?: number;
  readonly maxBatchItems?: number;
  readonly maxAttachmentsPerPrompt?: number;
  readonly maxPromptChars?: number;
  /** Admin keys: with any, every /v1 route needs a key. */
  readonly adminKeys?: readonly string[];
  readonly tokenTtlSeconds?: number;
  /** How URL attachments are fetched (default: public addresses, plus loopback for tests). */
  readonly fetch?: HttpFetch;
  readonly settings?: Partial<ApiSettings>;
  /** Where the api logs (default: nowhere). */
  readonly logger?: Logger;
  /** Over the plugins' default test settings; `OPENAI_API_KEY: undefined` leaves the key out. */
  readonly pluginSettings?: Readonly<Record<string, string | undefined>>;
  /** LLMQ_SECRET_KEY (default: none, as in a fleet without one: keys cannot be stored). */
  readonly secretKey?: string;
  /** LLMQ_DEFAULT_MODEL (default: unset, so echo). */
  readonly defaultModel?: string;
  /** The local OpenAI-compatible server's options (its batches' processing time and script). */
  readonly openaiServer?: OpenAICompatibleServerOptions;
  /**
   * Starts a local Anthropic-compatible server with these options (its message batches'
   * processing time and script) and serves `claude-local` (provider `anthropic`) from it.
   */
  readonly anthropicServer?: AnthropicCompatibleServerOptions;
  /** LLMQ_PROVIDER_BATCH_POLL_MS and LLMQ_PROVIDER_BATCH_MAX_REQUESTS, over the defaults. */
  readonly providerBatches?: { readonly pollMs?: number; readonly maxRequests?: number };
  /** LLMQ_MODEL_PRICES. */
  readonly modelPrices?: Readonly<Record<string, ModelPrices>>;
}

/** The API on real PostgreSQL, Redis, a blob folder and a worker, over a real socket too. */
export function useApi(options: ApiHarnessOptions = {}): () => ApiHarness {
  let harness: ApiHarness | undefined;
  let testDatabase: TestDatabase | undefined;
  const testRedis = createTestRedis();
  let folder = '';
  let server: Server | undefined;
  let workerConnection: Redis | undefined;
  let anthropic: AnthropicCompatibleServer | undefined;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    folder = await mkdtemp(join(tmpdir(), 'llmq-api-'));
    const openai = await startOpenAICompatibleServer(options.openaiServer);
    anthropic = options.anthropicServer
      ? await startAnthropicCompatibleServer(options.anthropicServer)
      : undefined;
    const logger = options.logger ?? pino({ level: 'silent' });
    // The test's choices, in the variables' own names, over what a process starts with unset.
    const environment = {
      ...parseEnvironment(sharedEnvironmentSchema.extend(workerEnvironmentSchema.shape), {}),
      LLMQ_DATA_DIR: folder,
      DATABASE_URL: testDatabase.url,
      STORAGE_URL: `file://${folder}/blobs`,
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      LLMQ_JOB_ATTEMPTS: 3,
      LLMQ_RETRY_BACKOFF_MS: 50,
      LLMQ_EVENT_TTL_SECONDS: 600,
      LLMQ_CHUNK_COALESCE_MS: 2,
      LLMQ_LOCK_DURATION_MS: 5_000,
      LLMQ_STALLED_INTERVAL_MS: 1_000,
      LLMQ_SECRET_KEY: options.secretKey,
      LLMQ_DEFAULT_MODEL: options.defaultModel,
      LLMQ_PROVIDER_BATCH_POLL_MS: options.providerBatches?.pollMs ?? 100,
      LLMQ_PROVIDER_BATCH_MAX_REQUESTS: options.providerBatches?.maxRequests ?? 0,
      LLMQ_MODEL_PRICES: options.modelPrices ?? {},
    };
    const services = await openServices(
      servicesConfigOf(environment, {
        role: testRedis.prefix,
        logger,
        pluginSettings: {
          OPENAI_API_KEY: 'sk-test',
          OPENAI_BASE_URL: openai.baseUrl,
          LLMQ_OPENAI_MODELS: JSON.stringify([
            { id: 'local-vision', aliases: ['lv'], vision: true },
          ]),
          ...(anthropic
            ? {
                LOCAL_ANTHROPIC_KEY: 'sk-ant-test',
                LLMQ_ANTHROPIC_MODELS: JSON.stringify([
                  {
                    id: 'claude-local',
                    model: 'claude-sonnet-4-6',
                    base_url: anthropic.baseUrl,
                    key_env: 'LOCAL_ANTHROPIC_KEY',
                    provider: 'anthropic',
                  },
                ]),
              }
            : {}),
          ...options.pluginSettings,
        },
        importPlugin: (name) => import(name),
      }),
    );
    workerConnection = createRedisConnection(testRedis.url, {
      name: `${testRedis.prefix}-worker`,
      blocking: true,
    });
    const metrics = createApiMetrics({ db: services.database.db, queue: services.queue });
    const workerOptions = workerOptionsOf(environment, services, {
      connection: workerConnection,
      logger,
      observer: metrics.jobs,
    });
    const worker = startPromptWorker(workerOptions.dependencies, workerOptions.options);
    await worker.ready;
    const deps: ApiDependencies = {
      auth: {
        authenticator: new Authenticator(services.database.db, options.adminKeys ?? []),
        tokenSecret: streamTokenSecret(undefined, options.adminKeys ?? ['test']),
        tokenTtlSeconds: options.tokenTtlSeconds ?? 600,
      },
      services: promptServicesOf(
        services,
        {
          maxAttachmentBytes: options.maxAttachmentBytes ?? 1024 * 1024,
          maxInlineAttachmentBytes: options.maxInlineAttachmentBytes ?? 64 * 1024,
          urlFetchTimeoutMs: 5_000,
          maxBatchItems: options.maxBatchItems ?? 10_000,
          maxAttachmentsPerPrompt: options.maxAttachmentsPerPrompt ?? 50,
          maxPromptChars: options.maxPromptChars ?? 100_000,
        },
        options.fetch ?? createPublicFetch({ allowlist: ['127.0.0.1', 'localhost'] }),
      ),
      database: services.database,
      redis: [services.redis, services.logs],
      settings: {
        maxJsonBytes: options.maxJsonBytes ?? 512 * 1024,
        maxChatJsonBytes: 8 * 1024 * 1024,
        keepAliveMs: 15_000,
        waitSeconds: 30,
        maxBatchFileBytes: 64 * 1024 * 1024,
        ...options.settings,
      },
      logger,
      metrics,
    };
    const app = createApp(deps);
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
    await once(server, 'listening');
    const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    harness = {
      app,
      deps,
      services,
      baseUrl,
      client: new LlmqClient({ baseUrl }),
      openai,
      anthropic,
      worker,
      request: (method, path, body, headers = {}) =>
        Promise.resolve(
          app.request(path, {
            method,
            headers:
              body === undefined ? headers : { 'content-type': 'application/json', ...headers },
            body:
              body === undefined
                ? undefined
                : typeof body === 'string'
                  ? body
                  : JSON.stringify(body),
          }),
        ),
    };
  });

  afterAll(async () => {
    server?.closeAllConnections();
    server?.close();
    await harness?.worker.close(1_000);
    workerConnection?.disconnect();
    await harness?.services.close();
    await harness?.openai.close();
    await anthropic?.close();
    await testDatabase?.drop();
    await testRedis.cleanup();
    await rm(folder, { recursive: true, force: true });
  });

  return () => {
    if (!harness) throw new Error('the API harness is not ready yet');
    return harness;
  };
}

/** Read a problem+json answer, checking its media type and status. */
export async function problemOf(response: Response, status: number) {
  const text = await response.text();
  if (response.status !== status)
    throw new Error(`expected ${status}, got ${response.status}: ${text}`);
  if (!response.headers.get('content-type')?.startsWith('application/problem+json')) {
    throw new Error(
      `expected application/problem+json, got ${response.headers.get('content-type')}`,
    );
  }
  return JSON.parse(text) as {
    type: string;
    title: string;
    status: number;
    detail: string;
    errors?: Array<{ path: string; message: string }>;
  };
}
