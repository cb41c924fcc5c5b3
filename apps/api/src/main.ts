import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { tracesEndpoint } from '@llmq/contracts';
import {
  createPublicFetch,
  openServices,
  type PromptWorker,
  promptServicesOf,
  type Reconciler,
  type RetentionJob,
  retentionOptionsOf,
  servicesConfigOf,
  startPromptWorker,
  startReconciler,
  startRetentionJob,
  startWebhooks,
  type Webhooks,
  webhooksOptionsOf,
  workerOptionsOf,
} from '@llmq/engine';
import { createProcessLogger } from '@llmq/logging';
import { createRedisConnection } from '@llmq/queue';
import { startTracing } from '@llmq/tracing';
import { Authenticator } from './auth/authenticator.ts';
import { isLoopbackHost } from './auth/loopback-host.ts';
import { streamTokenSecret } from './auth/token-secret.ts';
import { pluginSettings, readEnvironment } from './env.ts';
import { createApiMetrics } from './observability/api-metrics.ts';
import { serveMetricsApart } from './observability/serve-metrics-apart.ts';
import { createApp } from './server/app.ts';
import { HttpDrain } from './server/http-drain.ts';
import { type DataFolderLock, lockDataFolder } from './startup/data-folder-lock.ts';
import { checkPortAvailable } from './startup/port-check.ts';
import { type PrivateRedis, redisAnswers, startPrivateRedis } from './startup/private-redis.ts';
import { queuePrefixOf } from './startup/queue-prefix.ts';
import { startBanner } from './startup/start-banner.ts';
import { openStreams } from './streams/open-streams.ts';

// Before the settings are read, the terminal alone decides how a bad setting is told.
const { logger: bootLogger } = createProcessLogger({
  name: 'llmq-api',
  level: 'info',
  format: 'auto',
});
let environment: ReturnType<typeof readEnvironment>;
try {
  environment = readEnvironment();
} catch (error) {
  bootLogger.fatal((error as Error).message);
  process.exit(1);
}
const { logger, format: logFormat } = createProcessLogger({
  name: 'llmq-api',
  level: environment.LOG_LEVEL,
  format: environment.LLMQ_LOG_FORMAT,
});
try {
  await checkPortAvailable(environment.HOST, environment.PORT);
  // The metrics' own port is started after the migrations: a busy one is told now too.
  if (environment.LLMQ_METRICS_ACCESS === 'port') {
    await checkPortAvailable(environment.LLMQ_METRICS_HOST, environment.LLMQ_METRICS_PORT, {
      port: 'LLMQ_METRICS_PORT',
      host: 'LLMQ_METRICS_HOST',
    });
  }
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
const traces = tracesEndpoint(environment);
const tracing = traces
  ? await startTracing({
      serviceName: environment.OTEL_SERVICE_NAME ?? 'llmq-api',
      endpoint: traces,
    })
  : undefined;
if (tracing) logger.info({ endpoint: traces }, 'traces exported over OTLP');

let privateRedis: PrivateRedis | undefined;
let redisUrl = environment.REDIS_URL;
let dataFolder: DataFolderLock | undefined;
try {
  const wantPrivate =
    environment.LLMQ_PRIVATE_REDIS === 'always' ||
    (environment.LLMQ_PRIVATE_REDIS === 'auto' &&
      !environment.redisUrlGiven &&
      !(await redisAnswers(redisUrl)));
  // PGlite, the default blob folder and a private Redis live there: one process at a time.
  if (wantPrivate || !environment.DATABASE_URL || !environment.STORAGE_URL) {
    dataFolder = await lockDataFolder(environment.LLMQ_DATA_DIR);
  }
  if (wantPrivate) {
    privateRedis = await startPrivateRedis(environment.LLMQ_DATA_DIR, logger);
    redisUrl = privateRedis.url;
  }
} catch (error) {
  logger.fatal((error as Error).message);
  process.exit(1);
}
const { prefix: queuePrefix, source: queuePrefixSource } = queuePrefixOf({
  given: environment.queuePrefixGiven ? environment.LLMQ_QUEUE_PREFIX : undefined,
  databaseUrl: environment.DATABASE_URL,
  dataFolder: dataFolder?.folder,
});
logger.info(
  { queuePrefix, from: queuePrefixSource, dataFolder: dataFolder?.folder },
  `queue prefix ${queuePrefix}`,
);

// The environment as this start settled it: its Redis may be private, its queue prefix derived.
const settled = { ...environment, REDIS_URL: redisUrl, LLMQ_QUEUE_PREFIX: queuePrefix };
let services: Awaited<ReturnType<typeof openServices>>;
try {
  services = await openServices(
    servicesConfigOf(settled, {
      role: 'api',
      logger,
      pluginSettings: pluginSettings(),
      importPlugin: (name) => import(name),
      telemetry: tracing?.telemetry,
      failFast: true,
    }),
  );
} catch (error) {
  logger.fatal({ err: error }, (error as Error).message);
  await privateRedis?.stop();
  process.exit(1);
}

const embedded =
  environment.LLMQ_EMBEDDED_WORKER === 'true' ||
  (environment.LLMQ_EMBEDDED_WORKER === 'auto' && !environment.DATABASE_URL);
const metrics = createApiMetrics({ db: services.database.db, queue: services.queue });
let worker: PromptWorker | undefined;
let reconciler: Reconciler | undefined;
let retention: RetentionJob | undefined;
let webhooks: Webhooks | undefined;
const workerConnection = embedded
  ? createRedisConnection(redisUrl, { name: 'llmq-api-worker', blocking: true })
  : undefined;
if (workerConnection) {
  workerConnection.on('error', () => undefined);
  const workerOptions = workerOptionsOf(settled, services, {
    connection: workerConnection,
    logger,
    observer: metrics.jobs,
    telemetry: tracing?.telemetry,
  });
  worker = startPromptWorker(workerOptions.dependencies, workerOptions.options);
  await worker.ready;
  // The embedded worker is part of the fleet: it reconciles too (laptop mode has no other).
  reconciler = startReconciler(workerOptions.reconciler);
  retention = startRetentionJob(retentionOptionsOf(settled, services, { logger }));
  webhooks = startWebhooks(
    webhooksOptionsOf(settled, services, { connection: workerConnection, logger }),
  );
  await webhooks.ready;
  logger.info(
    { concurrency: environment.WORKER_CONCURRENCY },
    'embedded worker ready (laptop mode)',
  );
}

const promptServices = promptServicesOf(
  services,
  {
    maxAttachmentBytes: environment.LLMQ_MAX_ATTACHMENT_BYTES,
    maxInlineAttachmentBytes: environment.LLMQ_MAX_INLINE_ATTACHMENT_BYTES,
    urlFetchTimeoutMs: environment.LLMQ_URL_FETCH_TIMEOUT_MS,
    maxBatchItems: environment.LLMQ_MAX_BATCH_ITEMS,
    maxAttachmentsPerPrompt: environment.LLMQ_MAX_ATTACHMENTS_PER_PROMPT,
    maxPromptChars: environment.LLMQ_MAX_PROMPT_CHARS,
  },
  createPublicFetch({ allowlist: environment.LLMQ_URL_ALLOWLIST }),
);
const authenticator = new Authenticator(services.database.db, environment.LLMQ_API_KEYS);
const authentication = await authenticator.required();
if (!authentication) {
  if (!isLoopbackHost(environment.HOST)) {
    logger.fatal(
      { host: environment.HOST },
      `Refusing to listen on ${environment.HOST} without API keys: set LLMQ_API_KEYS (admin keys), or HOST=127.0.0.1`,
    );
    process.exit(1);
  }
  logger.warn(
    { host: environment.HOST },
    'no API keys configured: serving on loopback only, without authentication',
  );
}
const httpDrain = new HttpDrain(logger, openStreams);
const app = createApp(
  {
    auth: {
      authenticator,
      tokenSecret: streamTokenSecret(
        environment.LLMQ_STREAM_TOKEN_SECRET,
        environment.LLMQ_API_KEYS,
      ),
      tokenTtlSeconds: environment.LLMQ_STREAM_TOKEN_TTL_SECONDS,
    },
    services: promptServices,
    database: services.database,
    redis: [services.redis, services.logs],
    settings: {
      maxJsonBytes: environment.LLMQ_MAX_JSON_BYTES,
      maxChatJsonBytes: environment.LLMQ_MAX_CHAT_JSON_BYTES,
      keepAliveMs: environment.LLMQ_SSE_KEEPALIVE_MS,
      waitSeconds: environment.LLMQ_WAIT_SECONDS,
      maxBatchFileBytes: environment.LLMQ_MAX_BATCH_FILE_BYTES,
      metricsAccess: environment.LLMQ_METRICS_ACCESS,
    },
    logger,
    metrics,
    tracer: tracing?.tracer,
    draining: () => httpDrain.draining,
  },
  { webConsoleFolder: environment.LLMQ_WEB_DIR },
);

await serveMetricsApart(environment, metrics, logger);
const server = serve(
  { fetch: app.fetch, port: environment.PORT, hostname: environment.HOST },
  (info) => {
    const url = `http://${info.address.includes(':') ? `[${info.address}]` : info.address}:${info.port}`;
    if (logFormat === 'json') {
      logger.info(
        { url, docs: `${url}/docs`, embeddedWorker: embedded },
        `llmq listening on ${url}`,
      );
      return;
    }
    process.stdout.write(
      startBanner({
        url,
        console: existsSync(join(environment.LLMQ_WEB_DIR, 'index.html')),
        databaseUrl: environment.DATABASE_URL,
        redisUrl,
        privateRedis: privateRedis !== undefined,
        storageUrl: environment.STORAGE_URL,
        dataFolder: dataFolder?.folder,
        embeddedWorker: embedded,
        authentication,
      }),
    );
  },
);
httpDrain.watch(server as Server);
server.on('error', (error) => {
  logger.fatal(
    { err: error },
    `could not listen on ${environment.HOST}:${environment.PORT}: ${error.message}`,
  );
  process.exit(1);
});

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) {
      // A second Ctrl-C means now: the drain and the embedded worker's grace are not waited for
      // (running jobs' locks lapse and they run again at the next start).
      logger.warn({ signal }, 'second signal: stopping at once');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    void (async () => {
      await httpDrain.drain({ timeoutMs: environment.LLMQ_HTTP_DRAIN_MS, retryMs: 1_000 });
      await reconciler?.close();
      await retention?.close();
      await webhooks?.close();
      await worker?.close(environment.LLMQ_SHUTDOWN_GRACE_MS);
      workerConnection?.disconnect();
      await services.close();
      await tracing?.shutdown().catch(() => undefined);
      await privateRedis?.stop();
      logger.info('api stopped');
      process.exit(0);
    })();
  });
}
