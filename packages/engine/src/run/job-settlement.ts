import type { PromptJob } from '@llmq/contracts';
import { DelayedError, type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { AttemptFailedError } from '../failures/attempt-failed-error.ts';
import { settleAttempt } from '../failures/attempt-settlement.ts';
import type { OutageReporter } from '../failures/service-outage.ts';
import { pauseModel } from './pause-model.ts';
import { PromptNotFoundError } from './prompt-not-found-error.ts';

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
 * Do with the job what its attempt's settlement says: hand it back at shutdown, end it for
 * good, wait out an outage or a provider's rate limit without spending an attempt, or let
 * BullMQ retry it with backoff. `runPromptJob` throws the settlement; anything else thrown is
 * settled here the same way.
 */
export async function settleJobError(error: unknown, settlement: JobSettlement): Promise<never> {
  const { job, token, logger } = settlement;
  const failed =
    error instanceof AttemptFailedError
      ? error
      : new AttemptFailedError(
          settleAttempt(error, { finalAttempt: job.attemptsMade + 1 >= (job.opts.attempts ?? 1) }),
        );
  const settled = failed.settlement;
  switch (settled.outcome) {
    case 'hand_back':
      await job.moveToWait(token);
      throw new WaitingError();
    case 'outage':
      return delay(
        settlement,
        settlement.outages.lost(settled.service ?? 'database', settled.error),
      );
    case 'rate_limited':
      return pauseTheModel(settlement, settled.retryAfterMs ?? 0);
    case 'fail':
    case 'cancelled':
      if (settled.error instanceof PromptNotFoundError) {
        logger.error(
          {
            promptId: settled.error.promptId,
            jobId: job.id,
            queue: job.queueName,
            prefix: job.prefix,
            likelyCause:
              'another llmq service shares this Redis and queue prefix, or the prompt was deleted',
          },
          `${settled.message}; the job is failed and kept in ${job.queueQualifiedName}'s failed set`,
        );
      }
      throw new UnrecoverableError(settled.message);
    case 'step_aside':
    // The lock went to another worker, which runs the job again: this run only steps aside.
    case 'retry':
      throw failed;
  }
}

/** Pause the model fleet-wide for a provider's 429, and put the job back without an attempt. */
async function pauseTheModel(settlement: JobSettlement, retryAfterMs: number): Promise<never> {
  const { job, logger } = settlement;
  // Redis takes whole, positive milliseconds: a Retry-After of 0 or 1.5 s still pauses.
  const pauseMs = Math.min(Math.max(Math.ceil(retryAfterMs), 1), longestRateLimitPauseMs);
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

/** Put the job back for a while without spending an attempt. */
async function delay({ job, token }: JobSettlement, waitMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + waitMs, token);
  throw new DelayedError();
}
