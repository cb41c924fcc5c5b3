import { type PromptJob, promptJobSchema } from '@llmq/contracts';
import { Queue, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';

export const promptQueueName = 'prompts';
/** The job name; one kind of job per queue. */
export const promptJobName = 'prompt';
/** The custom backoff type, resolved by the worker's backoff strategy. */
export const backoffType = 'llmq';

export type PromptPriority = 'interactive' | 'batch';

/** BullMQ runs jobs without a priority before any prioritised job: interactive ones jump ahead. */
const priorityOf: Record<PromptPriority, number | undefined> = {
  interactive: undefined,
  batch: 10,
};

export interface PromptQueueOptions {
  readonly prefix: string;
  /** How many times a job runs at most, retries included. */
  readonly attempts?: number;
  /** The first retry's delay; later ones double, with jitter. */
  readonly backoffMs?: number;
  /** OpenTelemetry through BullMQ: each job carries the trace of the request that added it. */
  readonly telemetry?: Telemetry | undefined;
}

/** The BullMQ queue of prompt jobs; a job's id is its prompt's id. */
export class PromptQueue {
  readonly queue: Queue<PromptJob>;
  readonly attempts: number;
  readonly #backoffMs: number;

  constructor(connection: Redis, options: PromptQueueOptions) {
    this.attempts = options.attempts ?? 5;
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.queue = new Queue<PromptJob>(promptQueueName, {
      connection,
      prefix: options.prefix,
      ...(options.telemetry ? { telemetry: options.telemetry } : {}),
    });
    // Connection trouble is reported where the connection is watched; a failing add rejects.
    this.queue.on('error', () => undefined);
  }

  async add(job: PromptJob, priority: PromptPriority = 'interactive'): Promise<void> {
    const data = promptJobSchema.parse(job);
    await this.queue.add(promptJobName, data, this.#jobOptions(data.promptId, priority));
  }

  async addBulk(jobs: readonly PromptJob[], priority: PromptPriority = 'batch'): Promise<void> {
    await this.queue.addBulk(
      jobs.map((job) => {
        const data = promptJobSchema.parse(job);
        return { name: promptJobName, data, opts: this.#jobOptions(data.promptId, priority) };
      }),
    );
  }

  /** Remove a job that is waiting or delayed; false when it is running or gone. */
  async removeWaiting(promptId: string): Promise<boolean> {
    const job = await this.queue.getJob(promptId);
    if (!job) return false;
    const state = await job.getState();
    if (state !== 'waiting' && state !== 'delayed' && state !== 'prioritized') return false;
    try {
      await job.remove();
      return true;
    } catch {
      // It became active (locked) between the two calls.
      return false;
    }
  }

  /** Forget a finished job, so the same prompt id can be queued again (batch retries). */
  async removeFinished(promptId: string): Promise<void> {
    const job = await this.queue.getJob(promptId);
    if (!job) return;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') await job.remove();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  #jobOptions(promptId: string, priority: PromptPriority) {
    const rank = priorityOf[priority];
    return {
      jobId: promptId,
      attempts: this.attempts,
      backoff: { type: backoffType, delay: this.#backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 10_000 },
      ...(rank === undefined ? {} : { priority: rank }),
    };
  }
}
