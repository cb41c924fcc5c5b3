import { APIError } from 'openai';
import { describe, expect, it } from 'vitest';
import { failureToModelError, toModelError } from './openai-errors.ts';

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

describe('a prompt too long for the context', () => {
  it('is told by OpenAI’s code, or by the words OpenAI-compatible servers use', () => {
    const refused = (code: string | null, message: string) =>
      toModelError(
        new APIError(
          400,
          { message, code, type: 'invalid_request_error' },
          undefined,
          new Headers(),
        ),
      );
    expect(refused('context_length_exceeded', 'Too long.').contextExceeded).toBe(true);
    expect(
      refused(
        null,
        "This model's maximum context length is 4096 tokens. However, you requested 5000",
      ).contextExceeded,
    ).toBe(true);
    expect(refused(null, 'Invalid value for temperature').contextExceeded).toBe(false);
  });
});
