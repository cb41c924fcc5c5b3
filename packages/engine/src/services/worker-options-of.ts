import type { SharedEnvironment, workerEnvironmentSchema } from '@llmq/contracts';
import type { Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { z } from 'zod';
import { StartGate } from '../limits/start-gate.ts';
import type { ReconcilerOptions } from '../reconcile/reconciler.ts';
import type { JobObserver } from '../run/job-observer.ts';
import type { PromptWorkerOptions, WorkerDependencies } from '../run/prompt-worker.ts';
import type { Services } from './open-services.ts';

/** The settings of a process that runs prompt jobs: its own worker, or the api's embedded one. */
export type WorkerEnvironment = SharedEnvironment & z.output<typeof workerEnvironmentSchema>;

/** What a worker process brings besides its environment and its opened services. */
export interface WorkerProcessPart {
  /** A blocking connection of the worker's own: BullMQ waits for jobs on it. */
  readonly connection: Redis;
  readonly logger: Logger;
  /** Where the process's metrics count attempts. */
  readonly observer?: JobObserver | undefined;
  readonly telemetry?: Telemetry | undefined;
}

/** `startPromptWorker`'s two arguments, and `startReconciler`'s. */
export interface WorkerOptions {
  readonly dependencies: WorkerDependencies;
  readonly options: PromptWorkerOptions;
  /** Every process that runs a worker takes the fleet's reconciler turns too. */
  readonly reconciler: ReconcilerOptions;
}

/**
 * A prompt worker's dependencies and options, and its reconciler's, from the environment and the
 * opened services: written once for the worker process, the api's embedded worker and the test
 * harness (which runs no reconciler).
 */
export function workerOptionsOf(
  environment: WorkerEnvironment,
  services: Services,
  process: WorkerProcessPart,
): WorkerOptions {
  return {
    dependencies: {
      db: services.database.db,
      blobs: services.blobs,
      models: services.models,
      events: services.events,
      logger: process.logger,
      batchLog: services.batchLog,
      coalesceMs: environment.LLMQ_CHUNK_COALESCE_MS,
      schemaRetries: environment.LLMQ_SCHEMA_RETRIES,
      observer: process.observer,
      timeoutMs: services.limits.timeoutMs,
      providerKeys: services.providerKeys,
      tools: services.tools,
      fallbackAfterAttempts: environment.LLMQ_FALLBACK_AFTER_ATTEMPTS,
      subjectLimits: services.subjectLimits,
      startGate: new StartGate(services.subjectLimits, {
        recheckMs: environment.LLMQ_LIMITS_RECHECK_MS,
        logger: process.logger,
        queue: services.queue,
      }),
      prices: services.prices,
      providerBatches: services.providerBatches,
      providerBatchMaxRequests: environment.LLMQ_PROVIDER_BATCH_MAX_REQUESTS || undefined,
      toolLimits: {
        timeoutMs: environment.LLMQ_TOOL_TIMEOUT_MS,
        maxOutputBytes: environment.LLMQ_TOOL_MAX_OUTPUT_BYTES,
      },
    },
    options: {
      connection: process.connection,
      prefix: environment.LLMQ_QUEUE_PREFIX,
      concurrency: environment.WORKER_CONCURRENCY,
      backoffMs: environment.LLMQ_RETRY_BACKOFF_MS,
      lockDurationMs: environment.LLMQ_LOCK_DURATION_MS,
      stalledIntervalMs: environment.LLMQ_STALLED_INTERVAL_MS,
      maxStalledCount: environment.LLMQ_MAX_STALLED_COUNT,
      control: services.control,
      telemetry: process.telemetry,
    },
    reconciler: {
      db: services.database.db,
      queue: services.queue,
      providerBatches: services.providerBatches,
      events: services.events,
      connection: services.redis,
      prefix: environment.LLMQ_QUEUE_PREFIX,
      logger: process.logger,
      intervalMs: environment.LLMQ_RECONCILE_INTERVAL_MS,
      graceMs: environment.LLMQ_RECONCILE_GRACE_MS,
    },
  };
}
