import { describe, expect, it } from 'vitest';
import { nonZeroUsageDetails } from './usage.ts';

describe('nonZeroUsageDetails', () => {
  it('drops zeros, nulls and emptied objects, recursively', () => {
    expect(
      nonZeroUsageDetails({
        prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 5, audio_tokens: 0 },
        service_tier: null,
      }),
    ).toEqual({ completion_tokens_details: { reasoning_tokens: 5 } });
  });

  it('gives null when nothing is left', () => {
    expect(nonZeroUsageDetails({ a: 0, b: { c: 0 } })).toBeNull();
  });
});
