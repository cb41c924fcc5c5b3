import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The queue of provider batch work: one job submits a batch's items, others poll. */
export const providerBatchQueueName = 'provider-batches';

export type ProviderBatchJob =
  | { readonly kind: 'submit'; readonly batchId: string }
  | { readonly kind: 'poll'; readonly providerBatchId: string; readonly round: number };

/**
 * Jobs go by deterministic ids (`submit.<batch>`, `poll.<provider batch>.<round>`; BullMQ refuses
 * `:` in ids): adding one that waits, runs or is delayed does nothing, so the api, a restarted
 * worker and the reconciler may all add the same job and one runs; one that failed for good is
 * replaced (see `#add`).
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
    await this.#add({ kind: 'submit', batchId }, jobOptions(`submit.${batchId}`));
  }

  /** Look at a provider batch after `delayMs`, as round `round` of its polls. */
  async poll(providerBatchId: string, round: number, delayMs = this.pollMs): Promise<void> {
    await this.#add(
      { kind: 'poll', providerBatchId, round },
      { ...jobOptions(`poll.${providerBatchId}.${round}`), delay: delayMs },
    );
  }

  /**
   * Add a job by its id. One in BullMQ's failed set (it stalled too often, or its end could not be
   * written) would make the add a no-op and its work would never run again: it is removed first,
   * so the reconciler's re-add brings it back.
   */
  async #add(data: ProviderBatchJob, options: JobsOptions & { readonly jobId: string }) {
    const existing = await this.queue.getJob(options.jobId);
    if (existing && (await existing.isFailed())) await existing.remove();
    await this.queue.add(data.kind, data, options);
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}

function jobOptions(jobId: string): JobsOptions & { readonly jobId: string } {
  return {
    jobId,
    // Transient failures (the provider's 5xx, a database blip) are retried with backoff.
    attempts: 10,
    backoff: { type: 'exponential', delay: 1_000 },
    removeOnComplete: true,
    removeOnFail: 1_000,
  };
}
