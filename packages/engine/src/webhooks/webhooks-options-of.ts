import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Services } from '../services/open-services.ts';
import type { WorkerEnvironment } from '../services/worker-options-of.ts';
import type { WebhooksOptions } from './webhooks.ts';

/**
 * `startWebhooks`' options from the environment and the opened services: written once for the
 * worker process and the api's embedded worker. `processResources` are the calling process's
 * own: its logger and the worker's connection (BullMQ waits for jobs on a copy of it).
 */
export function webhooksOptionsOf(
  environment: WorkerEnvironment,
  services: Services,
  processResources: { readonly connection: Redis; readonly logger: Logger },
): WebhooksOptions {
  return {
    db: services.database.db,
    connection: services.redis,
    workerConnection: processResources.connection,
    prefix: environment.LLMQ_QUEUE_PREFIX,
    logger: processResources.logger,
    signer: services.webhookSigner,
    rules: services.webhookUrls,
    scanMs: environment.LLMQ_WEBHOOK_SCAN_MS,
    maxAttempts: environment.LLMQ_WEBHOOK_MAX_ATTEMPTS,
    backoffMs: environment.LLMQ_WEBHOOK_BACKOFF_MS,
    timeoutMs: environment.LLMQ_WEBHOOK_TIMEOUT_MS,
    lockDurationMs: environment.LLMQ_LOCK_DURATION_MS,
    stalledIntervalMs: environment.LLMQ_STALLED_INTERVAL_MS,
  };
}
