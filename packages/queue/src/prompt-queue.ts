import { type PromptJob, promptJobSchema } from '@llmq/contracts';
import { type JobType, Queue, type Telemetry } from 'bullmq';
import type { Redis } from 'ioredis';
import { FairShare } from './fair-share.ts';

/**
 * Each model has a queue of its own, so limits hold per model across every worker (BullMQ's
 * global concurrency and rate limit are per queue) and a provider's 429 pauses that model only.
 */
export function promptQueueName(model: string): string {
  // BullMQ refuses ':' in queue names; other characters are kept readable where they can be.
  return `prompts.${model.replace(/[^A-Za-z0-9._-]/g, (character) => `~${character.charCodeAt(0).toString(16)}`)}`;
}
/** The job name; one kind of job per queue. */
export const promptJobName = 'prompt';
/** The client BullMQ makes up when Redis refuses CLIENT LIST (its queue-getters). */
const refusedClientListName = 'GCP does not support client list';

/** The custom backoff type, resolved by the worker's backoff strategy. */
export const backoffType = 'llmq';

/**
 * Interactive jobs have no priority: BullMQ runs them before any prioritised job. Batch items
 * are prioritised, their priorities shared between owners round-robin (see fair-share.ts).
 */
export type PromptPriority = 'interactive' | 'batch';

/** Where a prompt's job stands in Redis, as far as its job hash tells. */
export type JobPresence = 'live' | 'finished' | 'missing';

export interface PromptQueueOptions {
  readonly prefix: string;
  /** How many times a job runs at most, retries included. */
  readonly attempts?: number;
  /** The first retry's delay; later ones double, with jitter. */
  readonly backoffMs?: number;
  /** OpenTelemetry through BullMQ: each job carries the trace of the request that added it. */
  readonly telemetry?: Telemetry | undefined;
  /** Models whose queues exist from the start (dashboards and counts see them); others on use. */
  readonly models?: readonly string[];
}

/** A model's limits across the whole fleet; a missing field means no limit. */
export interface ModelQueueLimits {
  /** Jobs of the model running at once, across every worker. */
  readonly concurrency?: number | undefined;
  /** At most `max` jobs of the model start per `durationMs`, across every worker. */
  readonly rate?: { readonly max: number; readonly durationMs: number } | undefined;
}

/** The BullMQ queues of prompt jobs, one per model; a job's id is its prompt's id. */
export class PromptQueue {
  readonly attempts: number;
  readonly #backoffMs: number;
  readonly #connection: Redis;
  readonly #prefix: string;
  readonly #telemetry: Telemetry | undefined;
  readonly #queues = new Map<string, Queue<PromptJob>>();
  readonly #fairShare: FairShare;

  constructor(connection: Redis, options: PromptQueueOptions) {
    this.attempts = options.attempts ?? 5;
    this.#backoffMs = options.backoffMs ?? 1_000;
    this.#connection = connection;
    this.#prefix = options.prefix;
    this.#telemetry = options.telemetry;
    this.#fairShare = new FairShare(connection);
    for (const model of options.models ?? []) this.queueFor(model);
  }

  /** The queue of a model's jobs, opened on first use. */
  queueFor(model: string): Queue<PromptJob> {
    let queue = this.#queues.get(model);
    if (!queue) {
      queue = new Queue<PromptJob>(promptQueueName(model), {
        connection: this.#connection,
        prefix: this.#prefix,
        ...(this.#telemetry ? { telemetry: this.#telemetry } : {}),
      });
      // Connection trouble is reported where the connection is watched; a failing add rejects.
      queue.on('error', () => undefined);
      this.#queues.set(model, queue);
    }
    return queue;
  }

  /** Every model queue opened so far. */
  queues(): Array<{ model: string; queue: Queue<PromptJob> }> {
    return [...this.#queues].map(([model, queue]) => ({ model, queue }));
  }

  /**
   * Add one prompt's job; a batch item's (added again: a retry, the reconciler) takes its turn
   * among its owner's batch work like any other.
   */
  async add(
    job: PromptJob,
    priority: PromptPriority = 'interactive',
    owner: string | null = null,
  ): Promise<void> {
    const data = promptJobSchema.parse(job);
    const queue = this.queueFor(data.model);
    const [rank] =
      priority === 'batch' ? await this.#fairShare.priorities(queue, owner, 1) : [undefined];
    await queue.add(promptJobName, data, this.#jobOptions(data.promptId, rank, data.attemptOffset));
  }

  /**
   * Add many jobs of one owner (a batch's items, in one chunk): at batch priority they share
   * each model's queue with other owners' batch work round-robin, one script call per model.
   */
  async addBulk(
    jobs: readonly PromptJob[],
    priority: PromptPriority = 'batch',
    owner: string | null = null,
  ): Promise<void> {
    const byModel = new Map<string, PromptJob[]>();
    for (const job of jobs) {
      const data = promptJobSchema.parse(job);
      const modelJobs = byModel.get(data.model);
      if (modelJobs) modelJobs.push(data);
      else byModel.set(data.model, [data]);
    }
    for (const [model, modelJobs] of byModel) {
      const queue = this.queueFor(model);
      const ranks =
        priority === 'batch'
          ? await this.#fairShare.priorities(queue, owner, modelJobs.length)
          : undefined;
      await queue.addBulk(
        modelJobs.map((data, index) => ({
          name: promptJobName,
          data,
          opts: this.#jobOptions(data.promptId, ranks?.[index], data.attemptOffset),
        })),
      );
    }
  }

  /**
   * Whether each prompt's job is in Redis, from its job hash alone (one pipelined HMGET per job,
   * not a script): `live` while it waits, runs or waits for a retry, `finished` once BullMQ has
   * completed or failed it for good, `missing` when Redis has no such job.
   */
  async presence(
    jobs: ReadonlyArray<{ readonly promptId: string; readonly model: string }>,
  ): Promise<Map<string, JobPresence>> {
    const found = new Map<string, JobPresence>();
    if (jobs.length === 0) return found;
    const pipeline = this.#connection.pipeline();
    for (const job of jobs) {
      pipeline.hmget(this.queueFor(job.model).toKey(job.promptId), 'timestamp', 'finishedOn');
    }
    const replies = (await pipeline.exec()) ?? [];
    jobs.forEach((job, index) => {
      const [error, fields] = replies[index] ?? [new Error('no reply'), null];
      if (error) throw error;
      const [timestamp, finishedOn] = fields as [string | null, string | null];
      found.set(
        job.promptId,
        timestamp === null ? 'missing' : finishedOn === null ? 'live' : 'finished',
      );
    });
    return found;
  }

  /** Remove a job that is waiting or delayed; false when it is running or gone. */
  async removeWaiting(promptId: string, model: string): Promise<boolean> {
    const job = await this.queueFor(model).getJob(promptId);
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

  /**
   * Forget a finished job, so the same prompt id can be queued again (batch retries, and the
   * reconciler giving a job back to a prompt whose row never ended).
   */
  async removeFinished(promptId: string, model: string): Promise<void> {
    const job = await this.queueFor(model).getJob(promptId);
    if (!job) return;
    const state = await job.getState();
    if (state === 'completed' || state === 'failed') await job.remove();
  }

  /**
   * Set a model's limits for the whole fleet (they live in Redis, with its queue); limits not
   * given are removed. Every process of a deployment should be given the same.
   */
  async setLimits(model: string, limits: ModelQueueLimits): Promise<void> {
    const queue = this.queueFor(model);
    if (limits.concurrency) await queue.setGlobalConcurrency(limits.concurrency);
    else await queue.removeGlobalConcurrency();
    // A queue without a rate limit ignores `Worker.rateLimit` (BullMQ pauses only queues that
    // have a maximum), so a model with no rpm gets one that is never reached: a provider's 429
    // can still pause it for the whole fleet.
    const rate = limits.rate ?? { max: Number.MAX_SAFE_INTEGER, durationMs: 1_000 };
    await queue.setGlobalRateLimit(rate.max, rate.durationMs);
  }

  /** Jobs by state, summed over the model queues. */
  async jobCounts(...states: JobType[]): Promise<Record<string, number>> {
    const totals: Record<string, number> = Object.fromEntries(states.map((state) => [state, 0]));
    for (const queue of this.#queues.values()) {
      for (const [state, count] of Object.entries(await queue.getJobCounts(...states))) {
        totals[state] = (totals[state] ?? 0) + count;
      }
    }
    return totals;
  }

  /**
   * How many BullMQ workers, across the fleet, listen on each model's queue (from Redis's client
   * list): a model with queued prompts and no worker waits until a process that loads it starts.
   */
  async workerCounts(): Promise<Array<{ model: string; workers: number }>> {
    return Promise.all(
      [...this.#queues].map(async ([model, queue]) => {
        const workers = await queue.getWorkers();
        // BullMQ answers a refused CLIENT LIST (as on Google's Memorystore) with one made-up
        // client instead of an error: a count of 1 that would hide a model with no worker.
        if (workers.some((worker) => worker.name === refusedClientListName)) {
          throw new Error('Redis refuses CLIENT LIST: workers cannot be counted');
        }
        return { model, workers: workers.length };
      }),
    );
  }

  async close(): Promise<void> {
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
  }

  #jobOptions(promptId: string, rank: number | undefined, attemptOffset = 0) {
    return {
      jobId: promptId,
      // A job added again after its first vanished runs only the attempts the prompt has left.
      attempts: Math.max(1, this.attempts - attemptOffset),
      backoff: { type: backoffType, delay: this.#backoffMs },
      removeOnComplete: true,
      removeOnFail: { count: 10_000 },
      ...(rank === undefined ? {} : { priority: rank }),
    };
  }
}
