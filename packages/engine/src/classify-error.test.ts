import { AttachmentTypeError, ModelError, OptionsError, UnknownModelError } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { PromptTimeoutError } from './abort-reasons.ts';
import { classifyError } from './classify-error.ts';

describe('classifyError', () => {
  it('follows a ModelError’s own verdict, keeps its Retry-After, and knows a 429', () => {
    expect(
      classifyError(new ModelError('429', { retryable: true, retryAfterMs: 3000, status: 429 })),
    ).toEqual({
      retryable: true,
      kind: 'ModelError',
      message: '429',
      retryAfterMs: 3000,
      rateLimited: true,
    });
    expect(classifyError(new ModelError('503', { retryable: true, status: 503 })).rateLimited).toBe(
      false,
    );
    expect(classifyError(new ModelError('400', { retryable: false })).retryable).toBe(false);
  });

  it('never retries input and configuration errors', () => {
    expect(classifyError(new OptionsError('bad', [])).retryable).toBe(false);
    expect(classifyError(new AttachmentTypeError('no', 'x', [])).retryable).toBe(false);
    expect(classifyError(new UnknownModelError('nope')).retryable).toBe(false);
  });

  it('retries timeouts and unknown (infrastructure) errors', () => {
    expect(classifyError(new PromptTimeoutError(1000))).toMatchObject({
      retryable: true,
      kind: 'PromptTimeoutError',
    });
    expect(
      classifyError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))
        .retryable,
    ).toBe(true);
  });
});
