import { AttachmentTypeError, ModelError, OptionsError, UnknownModelError } from '@llmq/core';
import { DatabaseUnavailableError } from '@llmq/db';
import { EventLogSupersededError } from '@llmq/queue';
import { describe, expect, it } from 'vitest';
import {
  LockLostError,
  PromptCancelledError,
  PromptTimeoutError,
  WorkerShutdownError,
} from './abort-reasons.ts';
import { settleAttempt } from './attempt-settlement.ts';

const notFinal = { finalAttempt: false };

function aborted(reason: unknown): AbortSignal {
  const controller = new AbortController();
  controller.abort(reason);
  return controller.signal;
}

describe('settleAttempt', () => {
  it('follows a ModelError’s own verdict, keeps its Retry-After, and pauses the model on a 429', () => {
    const limited = new ModelError('429', { retryable: true, retryAfterMs: 3000, status: 429 });
    expect(settleAttempt(limited, notFinal)).toMatchObject({
      outcome: 'rate_limited',
      kind: 'ModelError',
      message: '429',
      retryAfterMs: 3000,
      blame: 'provider',
    });
    // A 429 spends no attempt, so even the last one does not fail the prompt.
    expect(settleAttempt(limited, { finalAttempt: true }).outcome).toBe('rate_limited');
    const unavailable = new ModelError('503', { retryable: true, status: 503, retryAfterMs: 50 });
    expect(settleAttempt(unavailable, notFinal)).toMatchObject({
      outcome: 'retry',
      retryAfterMs: 50,
    });
    expect(settleAttempt(unavailable, { finalAttempt: true }).outcome).toBe('fail');
    expect(settleAttempt(new ModelError('400', { retryable: false }), notFinal).outcome).toBe(
      'fail',
    );
  });

  it('never retries input and configuration errors', () => {
    expect(settleAttempt(new OptionsError('bad', []), notFinal).outcome).toBe('fail');
    expect(settleAttempt(new AttachmentTypeError('no', 'x', []), notFinal).outcome).toBe('fail');
    expect(settleAttempt(new UnknownModelError('nope'), notFinal)).toMatchObject({
      outcome: 'fail',
      kind: 'UnknownModelError',
      blame: 'request',
    });
  });

  it('retries timeouts and unknown (infrastructure) errors', () => {
    expect(
      settleAttempt(new Error('aborted'), {
        finalAttempt: false,
        signal: aborted(new PromptTimeoutError(1000)),
      }),
    ).toMatchObject({ outcome: 'retry', kind: 'PromptTimeoutError' });
    expect(
      settleAttempt(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), {
        finalAttempt: false,
      }).outcome,
    ).toBe('retry');
  });

  it('lets the reason the run was stopped from outside decide', () => {
    const stopped = (reason: unknown) =>
      settleAttempt(new Error('aborted'), { finalAttempt: true, signal: aborted(reason) }).outcome;
    expect(stopped(new WorkerShutdownError())).toBe('hand_back');
    expect(stopped(new LockLostError('p'))).toBe('step_aside');
    expect(stopped(new PromptCancelledError('p'))).toBe('cancelled');
    expect(settleAttempt(new EventLogSupersededError('p', 1), notFinal).outcome).toBe('step_aside');
  });

  it('waits out the database or Redis, never a model’s failure', () => {
    expect(settleAttempt(new DatabaseUnavailableError('down'), notFinal)).toMatchObject({
      outcome: 'outage',
      service: 'database',
    });
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'CONNECTION_CLOSED' });
    expect(
      settleAttempt(new ModelError('unreachable', { retryable: true, cause: refused }), notFinal)
        .outcome,
    ).toBe('retry');
  });
});
