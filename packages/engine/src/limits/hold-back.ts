import type { PromptJob } from '@llmq/contracts';
import { DelayedError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { GateJob, GateVerdict, StartGate } from './start-gate.ts';

/** What the start gate needs of a BullMQ job. */
export function gateJobOf(job: Job<PromptJob>, token: string | undefined): GateJob {
  return {
    promptId: job.data.promptId,
    runId: token,
    owner: job.data.owner,
    apiKeyId: job.data.apiKeyId,
    // Batch items are prioritised (fair share); interactive prompts have no priority.
    batchItem: (job.priority ?? 0) > 0,
    lastDelayMs: job.delay ?? 0,
  };
}

/**
 * Give back the start BullMQ counted (`ats`) when it made the job active, only while this
 * worker still holds the job's lock (BullMQ 6's lock key is `<job key>:lock`, its value the
 * worker's token): once the job has moved on, another worker or a cancel owns it.
 */
const giveBackStartScript = `
if redis.call('GET', KEYS[1] .. ':lock') == ARGV[1] then
  redis.call('HINCRBY', KEYS[1], 'ats', -1)
  return 1
end
return 0
`;

/**
 * Put a job its limits hold back into the delayed set until `until`, spending no attempt: the
 * prompt's row is untouched (still `queued`), and the start BullMQ counted when it took the job
 * is given back first, while the job is still this worker's, so the prompt's next real run is
 * numbered as if it had never been taken. A job a spent budget holds is also named in its
 * subject's held set, for a raised budget to promote.
 */
export async function holdBack(
  job: Job<PromptJob>,
  token: string | undefined,
  verdict: Extract<GateVerdict, { start: false }>,
  connection: Redis,
  logger: Logger,
  startGate?: Pick<StartGate, 'heldBack'>,
): Promise<never> {
  logger.debug(
    {
      promptId: job.data.promptId,
      until: new Date(verdict.until).toISOString(),
      reason: verdict.reason,
    },
    'prompt held back by its limits',
  );
  if (token !== undefined) {
    await connection.eval(giveBackStartScript, 1, `${job.queueQualifiedName}:${job.id}`, token);
  }
  await job.moveToDelayed(verdict.until, token);
  // Named after the move, so that a release finding it can promote it. The job is delayed
  // already: a failure here only leaves it waiting for its period's reset.
  await startGate
    ?.heldBack(verdict, { model: job.data.model, jobId: job.id ?? job.data.promptId }, () =>
      job.promote(),
    )
    .catch((error: unknown) => {
      logger.warn(
        { err: error, promptId: job.data.promptId },
        'could not name the held job for a release: it waits for its budget period',
      );
    });
  throw new DelayedError();
}
