import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { failureToModelError, retryAfterMs, toModelError } from './openai-errors.ts';

describe('retryAfterMs', () => {
  it('reads retry-after-ms, then retry-after in seconds or as a date', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '1500', 'retry-after': '9' }))).toBe(1500);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:05 GMT' }), now)).toBe(
      5000,
    );
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    expect(retryAfterMs(new Headers())).toBeUndefined();
  });
});

describe('errors inside a stream', () => {
  it('maps a Responses error event by its code: the provider’s fault retryable, the input’s final', () => {
    const event = (code: string | null) =>
      new APIError(
        undefined,
        { type: 'error', code, message: 'It broke.', param: null },
        undefined,
        new Headers(),
      );
    expect(toModelError(event('rate_limit_exceeded'))).toMatchObject({
      retryable: true,
      message: 'OpenAI response failed (rate_limit_exceeded): It broke.',
    });
    expect(toModelError(event(null))).toMatchObject({ retryable: true });
    expect(toModelError(event('invalid_image'))).toMatchObject({ retryable: false });
    expect(failureToModelError({ code: 'server_error', message: 'x' }).retryable).toBe(true);
  });
});
