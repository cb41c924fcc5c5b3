import { type Blame, failureOf } from '@llmq/core';
import { EventLogSupersededError } from '@llmq/queue';
import { UnrecoverableError } from 'bullmq';
import { LockLostError, PromptCancelledError, WorkerShutdownError } from './abort-reasons.ts';
import { type BackingService, jobOutageOf } from './job-outage.ts';

/**
 * What becomes of a failed attempt:
 * - `retry`: the row goes back to `queued` and BullMQ runs the job again after a backoff;
 * - `fail`: the row ends `failed` and the job fails for good;
 * - `hand_back`: the worker shuts down and the job waits for another, spending no attempt;
 * - `step_aside`: another worker runs the job now (a lost lock, a later attempt's log): write
 *   nothing more;
 * - `outage`: the database or Redis is unreachable: nothing written, the job waits;
 * - `rate_limited`: the provider answered 429: the row is queued again and the model pauses;
 * - `cancelled`: a user cancelled the prompt, whoever cancelled it has ended the row.
 */
export type SettlementOutcome =
  | 'retry'
  | 'fail'
  | 'hand_back'
  | 'step_aside'
  | 'outage'
  | 'rate_limited'
  | 'cancelled';

/** A failed attempt, settled once: BullMQ, the row, the event log and metrics all read it. */
export interface AttemptSettlement {
  readonly outcome: SettlementOutcome;
  /** The stable name stored as the row's `error_kind`, e.g. `ModelError`. */
  readonly kind: string;
  readonly message: string;
  readonly blame: Blame;
  /** `retry`: the provider's Retry-After, which the backoff obeys; `rate_limited`: the pause. */
  readonly retryAfterMs: number | undefined;
  /** `outage`: the service that could not be reached. */
  readonly service: BackingService | undefined;
  /** What decided: the attempt's abort reason when its signal fired, else the error thrown. */
  readonly error: unknown;
}

export interface AttemptContext {
  /** Whether no retry follows this attempt. */
  readonly finalAttempt: boolean;
  /** The attempt's signal: when it fired, its reason (cancel, shutdown, timeout) decides. */
  readonly signal?: AbortSignal | undefined;
}

/** How long a model pauses after a 429 that says nothing of when to come back. */
const defaultRateLimitPauseMs = 5_000;

/**
 * The one place a failed attempt is classified. The error's own traits (`LlmqError`: its
 * `retryable`, and a `ModelError`'s status and Retry-After) decide, after the reasons a run
 * is stopped from outside and the database or Redis outages `jobOutageOf` recognises in the
 * drivers' errors. An error that is not llmq's (a bug, a network error) is taken as transient.
 */
export function settleAttempt(error: unknown, context: AttemptContext): AttemptSettlement {
  const decisive = context.signal?.aborted ? context.signal.reason : error;
  const failure = failureOf(decisive);
  const settled = (
    outcome: SettlementOutcome,
    extra?: Partial<Pick<AttemptSettlement, 'retryAfterMs' | 'service'>>,
  ): AttemptSettlement => ({
    outcome,
    kind: decisive instanceof Error ? decisive.name : 'Error',
    message: decisive instanceof Error ? decisive.message : String(decisive),
    blame: failure?.blame ?? 'service',
    retryAfterMs: extra?.retryAfterMs,
    service: extra?.service,
    error: decisive,
  });
  if (decisive instanceof WorkerShutdownError) return settled('hand_back');
  if (decisive instanceof LockLostError || decisive instanceof EventLogSupersededError) {
    return settled('step_aside');
  }
  if (decisive instanceof PromptCancelledError) return settled('cancelled');
  // Nothing is written for an outage (the row may not be writable): the next attempt claims it.
  const service = jobOutageOf(decisive);
  if (service) return settled('outage', { service });
  if (decisive instanceof UnrecoverableError) return settled('fail');
  const provider = failure?.code === 'model-failed' ? providerAnswerOf(decisive) : undefined;
  // A 429 spends no attempt (the model pauses instead), so it never fails a prompt for good.
  if (provider?.status === 429 && failure?.retryable) {
    return settled('rate_limited', {
      retryAfterMs: provider.retryAfterMs ?? defaultRateLimitPauseMs,
    });
  }
  if ((failure?.retryable ?? true) && !context.finalAttempt) {
    return settled('retry', { retryAfterMs: provider?.retryAfterMs });
  }
  return settled('fail');
}

/** A `ModelError`'s provider status and Retry-After (read by shape: a plugin may bundle core). */
function providerAnswerOf(error: unknown): {
  status: number | undefined;
  retryAfterMs: number | undefined;
} {
  const { status, retryAfterMs } = error as { status?: unknown; retryAfterMs?: unknown };
  return {
    status: typeof status === 'number' ? status : undefined,
    retryAfterMs: typeof retryAfterMs === 'number' ? retryAfterMs : undefined,
  };
}
