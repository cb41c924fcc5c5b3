import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The queue of provider batch work: one job submits a batch's items, others poll. */
export const providerBatchQueueName = 'provider-batches';

export type ProviderBatchJob =
  | { readonly kind: 'submit'; readonly batchId: string }
  | { readonly kind: 'poll'; readonly providerBatchId: string; readonly round: number };

/**
 * Jobs go by deterministic ids (`submit.<batch>`, `poll.<provider batch>.<round>`; BullMQ refuses
 * `:` in ids): adding one that exists does nothing, so the api, a restarted worker and the
 * reconciler may all add the same job and one runs.
 */
export class ProviderBatchQueue {
  readonly queue: Queue<ProviderBatchJob>;
  /** How long a provider batch waits between looks (LLMQ_PROVIDER_BATCH_POLL_MS). */
  readonly pollMs: number;

  constructor(connection: Redis, options: { readonly prefix: string; readonly pollMs: number }) {
    this.pollMs = options.pollMs;
    this.queue = new Queue<ProviderBatchJob>(providerBatchQueueName, {
      connection,
      prefix: options.prefix,
    });
    this.queue.on('error', () => undefined);
  }

  /** Submit a provider-mode batch's items (again, after a crash: the submitter resumes). */
  async submit(batchId: string): Promise<void> {
    await this.queue.add('submit', { kind: 'submit', batchId }, jobOptions(`submit.${batchId}`));
  }

  /** Look at a provider batch after `delayMs`, as round `round` of its polls. */
  async poll(providerBatchId: string, round: number, delayMs = this.pollMs): Promise<void> {
    await this.queue.add(
      'poll',
      { kind: 'poll', providerBatchId, round },
      { ...jobOptions(`poll.${providerBatchId}.${round}`), delay: delayMs },
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

function jobOptions(jobId: string): JobsOptions {
  return {
    jobId,
    // Transient failures (the provider's 5xx, a database blip) are retried with backoff.
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: 1_000,
  };
}
