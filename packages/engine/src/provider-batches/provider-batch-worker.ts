import { failureOf } from '@llmq/core';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { failProviderBatchJob } from './fail-provider-batch.ts';
import { pollProviderBatch } from './poll-provider-batch.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';
import { type ProviderBatchJob, providerBatchQueueName } from './provider-batch-queue.ts';
import { submitProviderBatches } from './submit-provider-batch.ts';

export interface ProviderBatchWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  /** A dead worker's job (a poller killed mid-import) runs again elsewhere after this. */
  readonly lockDurationMs?: number | undefined;
  readonly stalledIntervalMs?: number | undefined;
}

/**
 * The fleet's worker of provider batch jobs (submit and poll), one per process that runs prompt
 * jobs. Its jobs wait on the provider, not on a model's concurrency: a few run at once.
 */
export function startProviderBatchWorker(
  deps: ProviderBatchDependencies,
  options: ProviderBatchWorkerOptions,
): Worker<ProviderBatchJob> {
  const worker = new Worker<ProviderBatchJob>(
    providerBatchQueueName,
    (job: Job<ProviderBatchJob>) => runProviderBatchJob(deps, job),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: 4,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A poller killed mid-import resumes: its job is handed to another worker, not failed.
      maxStalledCount: 10,
    },
  );
  worker.on('error', (error) => deps.logger.error({ err: error }, 'provider batch worker error'));
  worker.on('failed', (job, error) =>
    deps.logger.warn({ job: job?.id, err: error }, 'provider batch job attempt failed'),
  );
  return worker;
}

/**
 * One attempt of a job. A failure no attempt can mend (a refused request, a missing model or
 * key) or the last attempt's failure ends what the job leaves behind first (its provider batches
 * and their queued items, `failed` with the reason): a job in BullMQ's failed set is never run
 * again by itself, and items left queued would wait for ever. The refused ones fail as
 * `UnrecoverableError`, so BullMQ spends no attempts on them.
 */
async function runProviderBatchJob(
  deps: ProviderBatchDependencies,
  job: Job<ProviderBatchJob>,
): Promise<void> {
  const data = job.data;
  try {
    if (data.kind === 'submit') await submitProviderBatches(deps, data.batchId);
    else await pollProviderBatch(deps, data.providerBatchId, data.round);
  } catch (error) {
    const never = failureOf(error)?.retryable === false;
    const last = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
    if (!never && !last) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    await failProviderBatchJob(deps, data, reason);
    if (never) throw new UnrecoverableError(reason);
    throw error;
  }
}
