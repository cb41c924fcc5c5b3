import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.ts';

describe('retryDelay', () => {
  it("waits what the provider's Retry-After asked", () => {
    expect(retryDelay(1, 1000, { retryAfterMs: 7000 })).toBe(7000);
    expect(retryDelay(4, 1000, { retryAfterMs: 0 })).toBe(0);
  });

  it('doubles from the base delay with ±50% jitter otherwise', () => {
    expect(retryDelay(1, 1000, new Error('x'), () => 0.5)).toBe(1000);
    expect(retryDelay(3, 1000, new Error('x'), () => 0.5)).toBe(4000);
    expect(retryDelay(3, 1000, new Error('x'), () => 0)).toBe(2000);
    expect(retryDelay(3, 1000, new Error('x'), () => 0.999)).toBe(5996);
  });
});
