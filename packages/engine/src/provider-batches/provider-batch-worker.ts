import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
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
    async (job: Job<ProviderBatchJob>) => {
      const data = job.data;
      if (data.kind === 'submit') await submitProviderBatches(deps, data.batchId);
      else await pollProviderBatch(deps, data.providerBatchId, data.round);
    },
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
