import type { ModelLimits, ModelPrices } from '@llmq/contracts';
import {
  type FailureTraits,
  type HttpFetch,
  LlmqError,
  loadPlugins,
  type ModelRegistry,
  type PluginImporter,
} from '@llmq/core';
import { createDatabase, type DatabaseHandle } from '@llmq/db';
import {
  BatchLog,
  ControlChannel,
  createRedisConnection,
  describeRedisUrl,
  EventLog,
  PromptQueue,
} from '@llmq/queue';
import { type BlobStore, createBlobStore } from '@llmq/storage';
import type { Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { resolveModelPrices } from '../batches/model-prices.ts';
import { SubjectLimits } from '../limits/subject-limits.ts';
import { ProviderBatchQueue } from '../provider-batches/provider-batch-queue.ts';
import { ProviderKeys } from '../provider-keys/provider-keys.ts';
import { SecretBox } from '../provider-keys/secret-box.ts';
import { decodeSecretKey, laptopSecretKey } from '../provider-keys/secret-key.ts';
import {
  applyModelLimits,
  type ResolvedModelLimits,
  resolveModelLimits,
} from '../run/model-limits.ts';
import type { McpServerConfig } from '../tools/mcp-tool-source.ts';
import { openMcpToolSources } from '../tools/mcp-tool-sources.ts';
import { ToolCatalogue } from '../tools/tool-catalogue.ts';
import { resolveWebhookSigner } from '../webhooks/webhook-secret.ts';
import type { WebhookSigner } from '../webhooks/webhook-signer.ts';
import type { WebhookUrlRules } from '../webhooks/webhook-url.ts';
import { checkFallbacks } from './check-fallbacks.ts';
import { resolveDefaultModel } from './default-model.ts';
import type { PromptLimits, PromptServices } from './prompt-services.ts';

export interface ServicesConfig {
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly storageUrl: string | undefined;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly plugins: readonly string[];
  /** What plugins read their keys and options from. */
  readonly pluginSettings: Readonly<Record<string, string | undefined>>;
  /** Imports plugins by name, from the app, so the app's dependencies resolve. */
  readonly importPlugin: PluginImporter;
  readonly jobAttempts: number;
  readonly retryBackoffMs: number;
  readonly eventTtlSeconds: number;
  /** This process's part (api, worker), in its Redis connections' names (CLIENT LIST). */
  readonly role: string;
  readonly logger: Logger;
  /** BullMQ's OpenTelemetry (from @llmq/tracing), when traces are on. */
  readonly telemetry?: Telemetry | undefined;
  /** LLMQ_MODEL_PRICES: per model (id or alias), USD per million tokens. */
  readonly modelPrices?: Readonly<Record<string, ModelPrices>>;
  /** LLMQ_MODEL_LIMITS: per model (id or alias) concurrency, rpm and timeout. */
  readonly modelLimits?: Readonly<Record<string, ModelLimits>>;
  /** LLMQ_MODEL_TIMEOUT_MS: how long an attempt may run when its model sets no timeout. */
  readonly modelTimeoutMs?: number;
  /** The api's: Redis commands give up sooner while it is away (see createRedisConnection). */
  readonly failFast?: boolean;
  /**
   * LLMQ_SECRET_KEY, which seals stored provider keys. Unset in laptop mode (no databaseUrl), a
   * secret is generated once and kept in the data folder; unset otherwise, keys cannot be stored.
   */
  readonly secretKey?: string | undefined;
  /** LLMQ_DEFAULT_MODEL (the api's): checked against the loaded models at start. */
  readonly defaultModel?: string | undefined;
  /** LLMQ_MCP_SERVERS: their tools join the plugins' as `mcp:<name>`; each must answer at start. */
  readonly mcpServers?: readonly McpServerConfig[] | undefined;
  /** LLMQ_PROVIDER_BATCH_POLL_MS: how long a provider batch waits between looks. */
  readonly providerBatchPollMs?: number | undefined;
  /** LLMQ_WEBHOOK_SECRET: unset, derived from the server's secret, else kept in Redis. */
  readonly webhookSecret?: string | undefined;
  /** LLMQ_URL_ALLOWLIST: hosts webhooks may reach at private addresses. */
  readonly urlAllowlist?: readonly string[] | undefined;
}

export interface Services {
  readonly database: DatabaseHandle;
  readonly blobs: BlobStore;
  readonly models: ModelRegistry;
  /** For the queue's commands; they fail fast while Redis is away. */
  readonly redis: Redis;
  /** For the event and batch logs' appends and reads, and cancels; they fail fast too. */
  readonly logs: Redis;
  /** For the event log's subscriptions only. */
  readonly subscriber: Redis;
  readonly events: EventLog;
  readonly queue: PromptQueue;
  /** Cancels from api processes to workers. */
  readonly control: ControlChannel;
  /** Each batch's item ends. */
  readonly batchLog: BatchLog;
  /** Jobs that submit and poll provider-mode batches. */
  readonly providerBatches: ProviderBatchQueue;
  /** Each model's limits and timeout, as configured. */
  readonly limits: ResolvedModelLimits;
  /** Models' keys: the environment's, else the stored ones. */
  readonly providerKeys: ProviderKeys;
  /** The model of prompts that name none; undefined when there is none (echo not loaded). */
  readonly defaultModel: string | undefined;
  /** The tools the workers can run: the plugins' and the configured MCP servers'. */
  readonly tools: ToolCatalogue;
  /** Each priced model's prices by id (LLMQ_MODEL_PRICES). */
  readonly prices: ReadonlyMap<string, ModelPrices>;
  /** Signs webhook deliveries; the same key in every process of the fleet. */
  readonly webhookSigner: WebhookSigner;
  /** Where webhooks may go (checked at submission and again at each delivery). */
  readonly webhookUrls: WebhookUrlRules;
  /** Budgets and per-key and per-owner limits: their cached values and Redis counters. */
  readonly subjectLimits: SubjectLimits;
  close(): Promise<void>;
}

/**
 * Open everything a process of llmq needs, in order, with one clear error when a piece is
 * misconfigured or unreachable: the database (migrated), the blob store, the plugins, Redis.
 */
export async function openServices(config: ServicesConfig): Promise<Services> {
  const { logger } = config;
  // Settings that are wrong stop the start at once, before the slow part (PGlite, migrations).
  const where = describeRedisUrl(config.redisUrl);
  const blobs = await createBlobStore(config.storageUrl, { dataDir: config.dataDir });
  const opened: Array<() => Promise<void>> = [() => blobs.close()];
  const closeAll = async () => {
    for (const close of opened.reverse()) await close().catch(() => undefined);
  };
  try {
    const database = await createDatabase(config.databaseUrl, { dataDir: config.dataDir });
    opened.push(() => database.close());
    await database.migrate();
    logger.info({ database: database.location }, 'database ready (migrations applied)');
    await blobs.check();
    logger.info({ storage: blobs.location }, 'blob store ready');
    const models = await loadPlugins(
      config.plugins,
      { settings: config.pluginSettings },
      config.importPlugin,
    );
    const defaultModel = resolveDefaultModel(models, config.defaultModel);
    checkFallbacks(models);
    const prices = resolveModelPrices(models, config.modelPrices ?? {});
    const tools = new ToolCatalogue(models.tools);
    logger.info(
      { plugins: config.plugins, models: models.list().map((model) => model.id), defaultModel },
      'models loaded',
    );
    const mcp = await openMcpToolSources(config.mcpServers ?? [], tools, logger);
    opened.push(() => mcp.close());
    const secret = config.secretKey
      ? decodeSecretKey(config.secretKey)
      : config.databaseUrl
        ? undefined
        : await laptopSecretKey(config.dataDir);
    const limits = resolveModelLimits(
      models,
      config.modelLimits ?? {},
      config.modelTimeoutMs ?? 600_000,
    );
    const redis = createRedisConnection(config.redisUrl, {
      name: `llmq:${config.prefix}:${config.role}`,
      failFast: config.failFast,
    });
    // Apart from the queue's connection: ioredis copies every command a connection defines (the
    // queue's are dozens of scripts) into each pipeline, and appends pipeline on every turn.
    const logs = createRedisConnection(config.redisUrl, {
      name: `llmq:${config.prefix}:${config.role}:logs`,
      failFast: config.failFast,
    });
    const subscriber = createRedisConnection(config.redisUrl, {
      name: `llmq:${config.prefix}:${config.role}:subscriber`,
      blocking: true,
    });
    opened.push(async () => {
      redis.disconnect();
      logs.disconnect();
      subscriber.disconnect();
    });
    watchConnection(redis, where, logger, 'redis');
    watchConnection(logs, where, logger, 'redis logs');
    watchConnection(subscriber, where, logger, 'redis subscriber');
    await Promise.all([waitUntilReady(redis, where), waitUntilReady(logs, where)]);
    const events = new EventLog(logs, subscriber, {
      prefix: config.prefix,
      ttlSeconds: config.eventTtlSeconds,
    });
    const queue = new PromptQueue(redis, {
      prefix: config.prefix,
      attempts: config.jobAttempts,
      backoffMs: config.retryBackoffMs,
      telemetry: config.telemetry,
      models: models.models().map((model) => model.modelId),
    });
    opened.push(() => queue.close());
    await applyModelLimits(queue, models, limits);
    if (limits.byModel.size > 0) {
      logger.info({ limits: Object.fromEntries(limits.byModel) }, 'model limits set for the fleet');
    }
    const control = new ControlChannel(logs, subscriber, config.prefix);
    const batchLog = new BatchLog(logs, config.prefix);
    const providerBatches = new ProviderBatchQueue(redis, {
      prefix: config.prefix,
      pollMs: config.providerBatchPollMs ?? 60_000,
    });
    opened.push(() => providerBatches.close());
    const providerKeys = new ProviderKeys({
      db: database.db,
      models,
      box: secret && new SecretBox(secret),
      publisher: logs,
      subscriber,
      prefix: config.prefix,
      logger,
    });
    await providerKeys.start();
    opened.push(() => providerKeys.close());
    const subjectLimits = new SubjectLimits(database.db, logs, config.prefix);
    const webhookSigner = await resolveWebhookSigner({
      configured: config.webhookSecret,
      serverSecret: secret,
      db: database.db,
    });
    return {
      database,
      blobs,
      models,
      redis,
      logs,
      subscriber,
      events,
      queue,
      control,
      batchLog,
      providerBatches,
      limits,
      providerKeys,
      defaultModel,
      tools,
      prices,
      subjectLimits,
      webhookSigner,
      webhookUrls: { allowlist: config.urlAllowlist ?? [] },
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** Say in the logs when a connection drops and when it is back. */
function watchConnection(connection: Redis, where: string, logger: Logger, label: string) {
  let lost = false;
  connection.on('error', (error: Error) => {
    if (!lost) logger.error({ err: error, redis: where }, `${label} connection error`);
    lost = true;
  });
  connection.on('ready', () => {
    if (lost) logger.info({ redis: where }, `${label} connection restored`);
    lost = false;
  });
}

/** Redis is unreachable at start: a clear error instead of silent retries. */
export class RedisUnavailableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'redis-unreachable-at-start',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'RedisUnavailableError';
}

async function waitUntilReady(connection: Redis, where: string, timeoutMs = 5_000): Promise<void> {
  if (connection.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(
        new RedisUnavailableError(
          `Could not connect to Redis at ${where} (REDIS_URL) within ${timeoutMs / 1000} s: is redis-server running?`,
        ),
      );
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      connection.off('ready', onReady);
    };
    connection.on('ready', onReady);
  });
}

/** The API-facing operations' dependencies, from opened services. */
export function promptServicesOf(
  services: Services,
  limits: PromptLimits,
  fetchUrl: HttpFetch,
): PromptServices {
  return {
    db: services.database.db,
    blobs: services.blobs,
    models: services.models,
    events: services.events,
    queue: services.queue,
    control: services.control,
    batchLog: services.batchLog,
    providerBatches: services.providerBatches,
    limits,
    fetch: fetchUrl,
    providerKeys: services.providerKeys,
    defaultModel: services.defaultModel,
    tools: services.tools,
    prices: services.prices,
    subjectLimits: services.subjectLimits,
    webhookUrls: services.webhookUrls,
    webhookSigner: services.webhookSigner,
  };
}
