import type { RetentionPolicy } from '@llmq/contracts';
import type { Logger } from 'pino';
import type { Services } from '../services/open-services.ts';
import type { RetentionJobOptions } from './retention-job.ts';

/** The settings retention reads, from a worker's environment (its own process or the api's). */
export interface RetentionEnvironment {
  readonly LLMQ_RETENTION: RetentionPolicy;
  readonly LLMQ_RETENTION_INTERVAL_MS: number;
  readonly LLMQ_BLOB_GRACE_MS: number;
  readonly LLMQ_QUEUE_PREFIX: string;
}

/** The retention job's options: every process that runs a worker takes its turns. */
export function retentionOptionsOf(
  environment: RetentionEnvironment,
  services: Services,
  process: { readonly logger: Logger },
): RetentionJobOptions {
  return {
    services: {
      db: services.database.db,
      blobs: services.blobs,
      events: services.events,
      batchLog: services.batchLog,
    },
    connection: services.redis,
    prefix: environment.LLMQ_QUEUE_PREFIX,
    logger: process.logger,
    intervalMs: environment.LLMQ_RETENTION_INTERVAL_MS,
    policy: environment.LLMQ_RETENTION,
    graceMs: environment.LLMQ_BLOB_GRACE_MS,
  };
}
