import type { BatchItemEvent, PromptJob } from '@llmq/contracts';
import { failPrompt, getPrompt } from '@llmq/db';
import { type BatchLog, type ControlChannel, promptQueueName, retryDelay } from '@llmq/queue';
import { DelayedError, type Job, type Telemetry, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  LockLostError,
  PromptCancelledError,
  WorkerShutdownError,
} from '../failures/abort-reasons.ts';
import { OutageReporter } from '../failures/service-outage.ts';
import { gateJobOf, holdBack } from '../limits/hold-back.ts';
import type { GateVerdict, StartGate } from '../limits/start-gate.ts';
import { closeEndedLog } from '../prompts/close-ended-log.ts';
import type {
  ProviderBatchJob,
  ProviderBatchQueue,
} from '../provider-batches/provider-batch-queue.ts';
import { startProviderBatchWorker } from '../provider-batches/provider-batch-worker.ts';
import { SchemaStore } from '../schemas/schema-store.ts';
import { ToolCatalogue } from '../tools/tool-catalogue.ts';
import { createAttemptStore } from './attempt-store.ts';
import { settleJobError } from './job-settlement.ts';
import { MicroBatcher } from './micro-batcher.ts';
import { type EngineDependencies, runPromptJob } from './run-prompt-job.ts';

/** What a worker is given; it batches its own claims and completions. */
export type WorkerDependencies = Omit<
  EngineDependencies,
  'attempts' | 'batchLog' | 'schemas' | 'tools'
> & {
  readonly batchLog?: BatchLog | undefined;
  /** The tools chains run; without it, the plugins' tools only. */
  readonly tools?: ToolCatalogue | undefined;
  /** Provider-mode batches' jobs: with it, this worker submits and polls them too. */
  readonly providerBatches?: ProviderBatchQueue | undefined;
  /** LLMQ_PROVIDER_BATCH_MAX_REQUESTS: a cap below the providers' own. */
  readonly providerBatchMaxRequests?: number | undefined;
  /** Holds prompts back while their key's or owner's budget is spent or a limit is full. */
  readonly startGate?: StartGate | undefined;
};

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
  /** BullMQ's OpenTelemetry: each job runs in a span that continues its producer's trace. */
  readonly telemetry?: Telemetry | undefined;
}

export interface PromptWorker {
  /** One BullMQ worker per model queue. */
  readonly workers: ReadonlyArray<Worker<PromptJob>>;
  /** The worker of provider batch jobs (submit, poll), when the dependencies give their queue. */
  readonly providerBatchWorker: Worker<ProviderBatchJob> | undefined;
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
  const deps: EngineDependencies = {
    ...workerDeps,
    attempts: createAttemptStore(workerDeps.db),
    schemas: new SchemaStore(workerDeps.db),
    batchLog: workerDeps.batchLog && batchingItemEnds(workerDeps.batchLog),
    tools: workerDeps.tools ?? new ToolCatalogue(workerDeps.models.tools),
  };
  const controllers = new Map<string, AbortController>();
  const outages = new OutageReporter(deps.logger);
  const processorOf =
    (worker: () => Worker<PromptJob>) =>
    // Two parameters: BullMQ gives a processor that takes a third its own AbortSignal per job,
    // aborted only by its cancelJob, which llmq never calls (cancels, lost locks and shutdown
    // abort `controller`); leaving it out saves a controller and a composite signal per job.
    async (job: Job<PromptJob>, token?: string) => {
      const promptId = job.data.promptId;
      const controller = new AbortController();
      controllers.set(promptId, controller);
      const signal = controller.signal;
      let gate: GateVerdict | undefined;
      try {
        gate = await workerDeps.startGate?.enter(gateJobOf(job, token));
        if (gate?.start === false) {
          return await holdBack(
            job,
            token,
            gate,
            options.connection,
            deps.logger,
            workerDeps.startGate,
          );
        }
        const outcome = await runPromptJob(deps, {
          promptId,
          // A job the reconciler added again continues the prompt's count of attempts.
          attempt: (job.data.attemptOffset ?? 0) + job.attemptsStarted,
          finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1),
          signal,
          // A retry's wait since its backoff ended is not known: only first attempts report one.
          queuedAt: job.attemptsMade === 0 && !job.data.attemptOffset ? job.timestamp : undefined,
        });
        outages.recovered();
        return outcome;
      } catch (error) {
        if (error instanceof DelayedError) throw error;
        return settleJobError(error, {
          job,
          token,
          worker: worker(),
          connection: options.connection,
          logger: deps.logger,
          outages,
        });
      } finally {
        controllers.delete(promptId);
        if (gate?.start) await gate.leave();
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
    // Another worker may already run these jobs again: their runs here stop writing at once.
    worker.on('lockRenewalFailed', (jobIds: string[]) => {
      for (const promptId of jobIds) {
        deps.logger.warn({ promptId }, 'lock lost: the job runs again elsewhere');
        controllers.get(promptId)?.abort(new LockLostError(promptId));
      }
    });
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
  const providerBatchWorker =
    workerDeps.providerBatches &&
    startProviderBatchWorker(
      {
        db: deps.db,
        blobs: deps.blobs,
        models: deps.models,
        events: deps.events,
        batchLog: deps.batchLog,
        providerKeys: deps.providerKeys,
        schemas: deps.schemas,
        queue: workerDeps.providerBatches,
        logger: deps.logger,
        maxRequests: workerDeps.providerBatchMaxRequests,
        prices: workerDeps.prices,
      },
      {
        connection: options.connection,
        prefix: options.prefix,
        lockDurationMs: options.lockDurationMs,
        stalledIntervalMs: options.stalledIntervalMs,
      },
    );
  const ready = Promise.all([
    ...workers.map((worker) => worker.waitUntilReady()),
    providerBatchWorker?.waitUntilReady(),
    stopListening,
  ]).then(() => undefined);
  return {
    workers,
    providerBatchWorker,
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
      const closing = Promise.all([
        ...workers.map((worker) => worker.close()),
        providerBatchWorker?.close(),
      ]);
      const handBack = setTimeout(() => {
        deps.logger.warn(
          { running: controllers.size },
          'grace period over: handing running jobs back',
        );
        for (const controller of controllers.values()) controller.abort(new WorkerShutdownError());
      }, graceMs);
      // A model that ignores its signal must not keep the process alive: its lock lapses and
      // the job runs again elsewhere. (BullMQ's close(true) does nothing once a close has
      // begun, so the wait itself is cut short.)
      let force: NodeJS.Timeout | undefined;
      const forced = new Promise<void>((resolve) => {
        force = setTimeout(() => {
          deps.logger.warn(
            { running: [...controllers.keys()] },
            'jobs ignored the shutdown: closing without them',
          );
          resolve();
        }, graceMs + 5_000);
      });
      try {
        await Promise.race([closing, forced]);
      } finally {
        clearTimeout(handBack);
        clearTimeout(force);
        await (await stopListening)?.();
      }
    },
  };
}

/**
 * A job that stalled more often than allowed never reached the engine's own failure handling:
 * its row fails here, whichever attempt last claimed it (BullMQ counts one more start than the
 * row saw, on the run that fails it), and its log ends.
 */
async function recordStalledFailure(
  deps: EngineDependencies,
  job: Job<PromptJob>,
  message: string,
) {
  const promptId = job.data.promptId;
  const log = deps.logger.child({ promptId });
  try {
    const current = await getPrompt(deps.db, promptId);
    if (!current) return;
    if (current.status === 'queued' || current.status === 'running') {
      const write = await failPrompt(deps.db, promptId, current.attempts, {
        errorKind: 'Stalled',
        error: message,
      });
      if (write.row) await closeEndedLog(deps.events, write.row, log);
      log.warn({ attempts: current.attempts }, 'prompt failed: its job stalled too often');
      return;
    }
    await closeEndedLog(deps.events, current, log);
  } catch (error) {
    log.error({ err: error }, 'could not record a stalled job as failed');
  }
}

/** Item ends recorded in the same turn of the event loop go to Redis in one transaction. */
function batchingItemEnds(batchLog: BatchLog): Pick<BatchLog, 'append'> {
  const batcher = new MicroBatcher<{ batchId: string; event: BatchItemEvent }, string>((entries) =>
    batchLog.appendMany(entries),
  );
  return { append: (batchId, event) => batcher.submit({ batchId, event }) };
}
