import { tracesEndpoint } from '@llmq/contracts';
import {
  openServices,
  retentionOptionsOf,
  servicesConfigOf,
  startPromptWorker,
  startReconciler,
  startRetentionJob,
  startWebhooks,
  webhooksOptionsOf,
  workerOptionsOf,
} from '@llmq/engine';
import { createProcessLogger } from '@llmq/logging';
import { createMetrics, type MetricsServer, startMetricsServer } from '@llmq/metrics';
import { createRedisConnection } from '@llmq/queue';
import { startTracing } from '@llmq/tracing';
import { pluginSettings, readEnvironment } from './env.ts';

// The api's logger: the same formats (LLMQ_LOG_FORMAT) and the same redaction.
const { logger: bootLogger } = createProcessLogger({
  name: 'llmq-worker',
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
const { logger } = createProcessLogger({
  name: 'llmq-worker',
  level: environment.LOG_LEVEL,
  format: environment.LLMQ_LOG_FORMAT,
});
const traces = tracesEndpoint(environment);
const tracing = traces
  ? await startTracing({
      serviceName: environment.OTEL_SERVICE_NAME ?? 'llmq-worker',
      endpoint: traces,
    })
  : undefined;
if (tracing) logger.info({ endpoint: traces }, 'traces exported over OTLP');

let services: Awaited<ReturnType<typeof openServices>>;
try {
  services = await openServices(
    servicesConfigOf(environment, {
      role: 'worker',
      logger,
      pluginSettings: pluginSettings(),
      importPlugin: (name) => import(name),
      telemetry: tracing?.telemetry,
    }),
  );
} catch (error) {
  logger.fatal({ err: error }, (error as Error).message);
  process.exit(1);
}

const workerConnection = createRedisConnection(environment.REDIS_URL, {
  name: 'llmq-worker-queue',
  blocking: true,
});
workerConnection.on('error', () => undefined);
const metrics = createMetrics({ component: 'worker' });
const workerOptions = workerOptionsOf(environment, services, {
  connection: workerConnection,
  logger,
  observer: metrics.jobs,
  telemetry: tracing?.telemetry,
});
const worker = startPromptWorker(workerOptions.dependencies, workerOptions.options);
for (const modelWorker of worker.workers) {
  modelWorker.on('active', (job) =>
    logger.info({ promptId: job.id, attempt: job.attemptsStarted }, 'job started'),
  );
  // A success has its line from the engine already ('prompt succeeded', with usage and time).
  modelWorker.on('completed', (job, outcome) => {
    if (outcome !== 'succeeded') logger.info({ promptId: job.id, outcome }, 'job ended');
  });
  // The engine logs each failed attempt once, with its kind ('prompt failed', 'attempt failed;
  // the prompt will be retried'): BullMQ's view of the same failure is only for debugging.
  modelWorker.on('failed', (job, error) =>
    logger.debug({ promptId: job?.id, error: error.message }, 'job attempt failed'),
  );
}
await worker.ready;
const reconciler = startReconciler(workerOptions.reconciler);
const retention = startRetentionJob({
  ...retentionOptionsOf(environment, services, { logger }),
  onPass: (report) => metrics.retention.record({ ...report }),
});
const webhooks = startWebhooks(
  webhooksOptionsOf(environment, services, { connection: workerConnection, logger }),
);
await webhooks.ready;
let stopping = false;
let metricsServer: MetricsServer | undefined;
try {
  metricsServer = await startMetricsServer(metrics, {
    port: environment.LLMQ_METRICS_PORT,
    host: environment.LLMQ_METRICS_HOST,
    healthy: () => !stopping,
  });
} catch (error) {
  // A worker without metrics still works: say so and go on.
  logger.error(
    { err: error, port: environment.LLMQ_METRICS_PORT },
    `metrics not served: ${(error as Error).message}`,
  );
}
logger.info(
  {
    concurrency: environment.WORKER_CONCURRENCY,
    pid: process.pid,
    metrics: metricsServer
      ? `http://${environment.LLMQ_METRICS_HOST}:${metricsServer.port}/metrics`
      : null,
  },
  'worker ready',
);

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, running: worker.runningIds().length }, 'shutting down');
    void (async () => {
      await reconciler.close();
      await retention.close();
      await webhooks.close();
      await worker.close(environment.LLMQ_SHUTDOWN_GRACE_MS);
      await metricsServer?.close();
      workerConnection.disconnect();
      await services.close();
      await tracing?.shutdown().catch(() => undefined);
      logger.info('worker stopped');
      process.exit(0);
    })();
  });
}
