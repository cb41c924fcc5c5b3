import type { PromptJob } from '@llmq/contracts';
import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { LockLostError, WorkerShutdownError } from './abort-reasons.ts';
import { jobOutageOf } from './job-outage.ts';
import { pauseModel } from './pause-model.ts';
import { FinalJobError, PromptNotFoundError, RetryableJobError } from './run-prompt-job.ts';
import { type OutageReporter, ServiceOutageError } from './service-outage.ts';

/** The longest a provider's 429 may pause its model (a Retry-After of hours is not obeyed). */
const longestRateLimitPauseMs = 10 * 60_000;

export interface JobSettlement {
  readonly job: Job<PromptJob>;
  readonly token: string | undefined;
  readonly worker: Worker<PromptJob>;
  /** The worker's Redis connection, for the pause. */
  readonly connection: Redis;
  readonly logger: Logger;
  readonly outages: OutageReporter;
}

/**
 * Turn an attempt's failure into what BullMQ should do with the job: hand it back at shutdown,
 * end it for good, wait out an outage or a provider's rate limit without spending an attempt,
 * or retry it with backoff (the error as it is).
 */
export async function settleJobError(error: unknown, settlement: JobSettlement): Promise<never> {
  const { job, token, logger } = settlement;
  if (error instanceof WorkerShutdownError) {
    await job.moveToWait(token);
    throw new WaitingError();
  }
  // The lock went to another worker, which runs the job again: this run only steps aside.
  if (error instanceof LockLostError) throw error;
  if (error instanceof PromptNotFoundError) {
    logger.error(
      {
        promptId: error.promptId,
        jobId: job.id,
        queue: job.queueName,
        prefix: job.prefix,
        likelyCause:
          'another llmq service shares this Redis and queue prefix, or the prompt was deleted',
      },
      `${error.message}; the job is failed and kept in ${job.queueQualifiedName}'s failed set`,
    );
    throw new UnrecoverableError(error.message);
  }
  if (error instanceof FinalJobError) throw new UnrecoverableError(error.message);
  const outage = error instanceof ServiceOutageError ? error.service : jobOutageOf(error);
  if (outage) {
    return delay(settlement, settlement.outages.lost(outage, error));
  }
  if (error instanceof RetryableJobError && error.rateLimitedForMs !== undefined) {
    // Redis takes whole, positive milliseconds: a Retry-After of 0 or 1.5 s still pauses.
    const pauseMs = Math.min(
      Math.max(Math.ceil(error.rateLimitedForMs), 1),
      longestRateLimitPauseMs,
    );
    logger.warn(
      { promptId: job.data.promptId, model: job.data.model, pauseMs },
      'rate limited by the provider: pausing the model',
    );
    try {
      await pauseModel(settlement.connection, settlement.worker.keys.limiter as string, pauseMs);
    } catch (pauseError) {
      // The model could not be paused: this job at least waits, still spending no attempt.
      logger.warn({ err: pauseError, model: job.data.model }, 'could not pause the model');
      return delay(settlement, pauseMs);
    }
    throw Worker.RateLimitError();
  }
  throw error;
}

/** Put the job back for a while without spending an attempt. */
async function delay({ job, token }: JobSettlement, waitMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + waitMs, token);
  throw new DelayedError();
}
