import { describe, expect, it } from 'vitest';
import { BatchRate } from './batch-rate.ts';

describe('BatchRate', () => {
  it('has no rate from one sample', () => {
    expect(new BatchRate().add(1_000, 5)).toBeUndefined();
  });

  it('answers items per second since the oldest sample in the window', () => {
    const rate = new BatchRate(5_000);
    rate.add(0, 0);
    expect(rate.add(1_000, 10)).toBe(10);
    expect(rate.add(2_000, 30)).toBe(15);
  });

  it('forgets samples older than the window', () => {
    const rate = new BatchRate(2_000);
    rate.add(0, 0);
    rate.add(1_000, 100);
    rate.add(3_000, 110);
    expect(rate.add(4_000, 120)).toBe(20 / 3);
  });
});
