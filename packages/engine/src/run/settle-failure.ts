import { failPrompt, requeuePrompt } from '@llmq/db';
import type { EventWriter } from '@llmq/queue';
import type { Logger } from 'pino';
import { AttemptFailedError } from '../failures/attempt-failed-error.ts';
import { settleAttempt } from '../failures/attempt-settlement.ts';
import { failureLogFields } from '../failures/failure-log-fields.ts';
import { refusedAnswerSpend } from '../spend/answer-spend.ts';
import type { EngineDependencies } from './engine-dependencies.ts';
import type { PromptRun, PromptRunOutcome } from './prompt-run.ts';
import { recordBatchItemEnd } from './record-batch-item-end.ts';

/**
 * Record a failed attempt as its settlement says: the row, the event log and the batch's item
 * log; then throw the settlement for the worker (a cancel, already recorded, returns).
 */
export async function settleFailure(
  deps: EngineDependencies,
  run: PromptRun,
  writer: EventWriter,
  error: unknown,
  log: Logger,
): Promise<PromptRunOutcome> {
  const settlement = settleAttempt(error, run);
  const { outcome, kind, message } = settlement;
  if (outcome === 'hand_back' || outcome === 'step_aside' || outcome === 'cancelled') {
    // The attempt is over for this worker: nothing more of it goes to the log.
    writer.discard();
  } else {
    // The text this attempt produced stays in the log (followers drop it at the restart).
    await writer.flush().catch(() => undefined);
  }
  if (outcome === 'cancelled') {
    // Whoever cancelled has already ended the row and the log.
    log.info('prompt cancelled while running');
    return 'cancelled';
  }
  if (outcome === 'retry' || outcome === 'rate_limited') {
    const write = await requeuePrompt(deps.db, run.promptId, run.attempt, {
      errorKind: kind,
      error: message,
      spend: refusedAnswerSpend(error),
    });
    if (write.written) {
      await writer
        .event({ type: 'status', status: 'queued', attempt: run.attempt })
        .catch(() => null);
    }
    log.warn({ ...failureLogFields(error), kind }, 'attempt failed; the prompt will be retried');
  } else if (outcome === 'fail') {
    const write = await failPrompt(deps.db, run.promptId, run.attempt, {
      errorKind: kind,
      error: message,
      spend: refusedAnswerSpend(error),
    });
    if (write.row) {
      await writer.event({ type: 'error', status: 'failed', error: { kind, message } });
      await recordBatchItemEnd(deps, write.row, 'failed', log);
    }
    log.warn({ ...failureLogFields(error), kind }, 'prompt failed');
  }
  throw new AttemptFailedError(settlement);
}
