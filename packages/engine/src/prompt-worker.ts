import type { PromptJob } from '@llmq/contracts';
import { failPrompt } from '@llmq/db';
import { type ControlChannel, promptQueueName, retryDelay } from '@llmq/queue';
import {
  DelayedError,
  type Job,
  type Telemetry,
  UnrecoverableError,
  WaitingError,
  Worker,
} from 'bullmq';
import type { Redis } from 'ioredis';
import { PromptCancelledError, WorkerShutdownError } from './abort-reasons.ts';
import { createAttemptStore } from './attempt-store.ts';
import {
  type EngineDependencies,
  FinalJobError,
  RetryableJobError,
  runPromptJob,
} from './run-prompt-job.ts';
import { OutageReporter, ServiceOutageError } from './service-outage.ts';
import { unavailableService } from './unavailable-service.ts';

/** What a worker is given; it batches its own claims and completions. */
export type WorkerDependencies = Omit<EngineDependencies, 'attempts'>;

export interface PromptWorkerOptions {
  readonly connection: Redis;
  readonly prefix: string;
  /** Jobs this process runs at once. */
  readonly concurrency: number;
  /** The first retry's delay; later ones double, with jitter (or the provider's Retry-After). */
  readonly backoffMs: number;
  /** How long a job's lock lasts without renewal: a dead worker's jobs run again after it. */
  readonly lockDurationMs?: number;
  readonly stalledIntervalMs?: number;
  /** How often a job may stall (its worker died) before it counts as failed. */
  readonly maxStalledCount?: number;
  /** Where cancels from api processes arrive; the worker aborts the prompts it runs. */
  readonly control?: ControlChannel;
  /** How long a job waits before running again when the database or Redis is unreachable. */
  readonly outageRetryMs?: number;
  /** BullMQ's OpenTelemetry: each job runs in a span that continues its producer's trace. */
  readonly telemetry?: Telemetry | undefined;
}

export interface PromptWorker {
  /** One BullMQ worker per model queue. */
  readonly workers: ReadonlyArray<Worker<PromptJob>>;
  /** Resolves once the worker listens for jobs and for cancels. */
  readonly ready: Promise<void>;
  /** Prompt ids running in this process now. */
  runningIds(): string[];
  /** Abort a running prompt with a reason; false when it is not running here. */
  abort(promptId: string, reason: Error): boolean;
  /**
   * Stop taking jobs; let running ones finish within `graceMs`, then hand the rest back to the
   * queue (they run again elsewhere), and close the connections.
   */
  close(graceMs: number): Promise<void>;
}

/**
 * BullMQ workers that run prompt jobs with the engine, one per model queue, each taking up to
 * `concurrency` jobs. A provider's 429 pauses its model's queue, for every worker of the fleet,
 * for as long as the provider asked; other models keep flowing.
 */
export function startPromptWorker(
  workerDeps: WorkerDependencies,
  options: PromptWorkerOptions,
): PromptWorker {
  const deps: EngineDependencies = { ...workerDeps, attempts: createAttemptStore(workerDeps.db) };
  const controllers = new Map<string, AbortController>();
  const outages = new OutageReporter(deps.logger);
  const outageRetryMs = options.outageRetryMs ?? 1_000;
  const processorOf =
    (worker: () => Worker<PromptJob>) =>
    async (job: Job<PromptJob>, token?: string, queueSignal?: AbortSignal) => {
      const promptId = job.data.promptId;
      const controller = new AbortController();
      controllers.set(promptId, controller);
      const signal = queueSignal
        ? AbortSignal.any([controller.signal, queueSignal])
        : controller.signal;
      try {
        const outcome = await runPromptJob(deps, {
          promptId,
          attempt: job.attemptsStarted,
          finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          signal,
          // A retry's wait since its backoff ended is not known: only first attempts report one.
          queuedAt: job.attemptsMade === 0 ? job.timestamp : undefined,
        });
        outages.recovered();
        return outcome;
      } catch (error) {
        if (error instanceof WorkerShutdownError) {
          await job.moveToWait(token);
          throw new WaitingError();
        }
        if (error instanceof FinalJobError) throw new UnrecoverableError(error.message);
        const outage =
          error instanceof ServiceOutageError ? error.service : unavailableService(error);
        if (outage) {
          outages.lost(outage, outageRetryMs, error);
          await job.moveToDelayed(Date.now() + outageRetryMs, token);
          throw new DelayedError();
        }
        if (error instanceof RetryableJobError && error.rateLimitedForMs !== undefined) {
          // The provider said "too many": the whole model waits, and this job goes back to
          // the queue without spending an attempt.
          deps.logger.warn(
            { promptId, model: job.data.model, pauseMs: error.rateLimitedForMs },
            'rate limited by the provider: pausing the model',
          );
          await worker().rateLimit(error.rateLimitedForMs);
          throw Worker.RateLimitError();
        }
        throw error;
      } finally {
        controllers.delete(promptId);
      }
    };
  const workers = workerDeps.models.models().map((model) => {
    const worker: Worker<PromptJob> = new Worker<PromptJob>(
      promptQueueName(model.modelId),
      processorOf(() => worker),
      {
        connection: options.connection,
        prefix: options.prefix,
        concurrency: options.concurrency,
        lockDuration: options.lockDurationMs ?? 30_000,
        stalledInterval: options.stalledIntervalMs ?? 30_000,
        maxStalledCount: options.maxStalledCount ?? 3,
        ...(options.telemetry ? { telemetry: options.telemetry } : {}),
        settings: {
          backoffStrategy: (attemptsMade, _type, error) =>
            retryDelay(attemptsMade, options.backoffMs, error),
        },
      },
    );
    worker.on('error', (error) => deps.logger.error({ err: error }, 'worker error'));
    worker.on('failed', (job, error) => {
      // A job that stalled too often never reached the engine's own failure handling.
      if (job && /stalled/i.test(error.message)) {
        void recordStalledFailure(deps, job, error.message);
      }
    });
    return worker;
  });
  const stopListening = options.control?.subscribe((message) => {
    if (message.type === 'cancel' && controllers.has(message.promptId)) {
      deps.logger.info(
        { promptId: message.promptId },
        'cancel received: aborting the running prompt',
      );
      controllers.get(message.promptId)?.abort(new PromptCancelledError(message.promptId));
    }
  });
  const ready = Promise.all([
    ...workers.map((worker) => worker.waitUntilReady()),
    stopListening,
  ]).then(() => undefined);
  return {
    workers,
    ready,
    runningIds: () => [...controllers.keys()],
    abort(promptId, reason) {
      const controller = controllers.get(promptId);
      if (!controller) return false;
      controller.abort(reason);
      return true;
    },
    async close(graceMs) {
      deps.logger.info({ running: controllers.size, graceMs }, 'worker stopping: no new jobs');
      const closing = Promise.all(workers.map((worker) => worker.close()));
      const handBack = setTimeout(() => {
        deps.logger.warn(
          { running: controllers.size },
          'grace period over: handing running jobs back',
        );
        for (const controller of controllers.values()) controller.abort(new WorkerShutdownError());
      }, graceMs);
      // A model that ignores its signal must not keep the process alive: its lock lapses and
      // the job runs again elsewhere.
      const force = setTimeout(
        () => void Promise.all(workers.map((worker) => worker.close(true))),
        graceMs + 5_000,
      );
      try {
        await closing;
      } finally {
        clearTimeout(handBack);
        clearTimeout(force);
        await (await stopListening)?.();
      }
    },
  };
}

async function recordStalledFailure(
  deps: EngineDependencies,
  job: Job<PromptJob>,
  message: string,
) {
  const promptId = job.data.promptId;
  try {
    const write = await failPrompt(deps.db, promptId, job.attemptsStarted, {
      errorKind: 'Stalled',
      error: message,
    });
    if (write.written) {
      await deps.events.append(promptId, {
        type: 'error',
        status: 'failed',
        error: { kind: 'Stalled', message },
      });
    }
  } catch (error) {
    deps.logger.error({ err: error, promptId }, 'could not record a stalled job as failed');
  }
}
