import { describe, expect, it } from 'vitest';
import { daysBetween, spendChart } from './spend-chart.ts';

describe('daysBetween', () => {
  it('lists every UTC day of the range, across a month end, both ends included', () => {
    expect(daysBetween('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(daysBetween('2026-03-02', '2026-03-02')).toEqual(['2026-03-02']);
  });
});

describe('spendChart', () => {
  it('gives each day a bar, the largest day full height, days without spend none', () => {
    const chart = spendChart(
      [
        { day: '2026-03-01', cost_usd: 2 },
        { day: '2026-03-03', cost_usd: 0.5 },
      ],
      '2026-03-01',
      '2026-03-04',
      { width: 400, height: 100 },
    );
    expect(chart.maxUsd).toBe(2);
    expect(chart.bars.map((bar) => [bar.day, bar.costUsd, bar.height, bar.y])).toEqual([
      ['2026-03-01', 2, 100, 0],
      ['2026-03-02', 0, 0, 100],
      ['2026-03-03', 0.5, 25, 75],
      ['2026-03-04', 0, 0, 100],
    ]);
    // Side by side, each in its quarter of the width, a gap between them.
    expect(chart.bars.map((bar) => bar.x)).toEqual([1, 101, 201, 301]);
    expect(chart.bars.every((bar) => bar.width === 98)).toBe(true);
  });

  it('draws flat bars when nothing was spent', () => {
    const chart = spendChart([], '2026-03-01', '2026-03-02');
    expect(chart.maxUsd).toBe(0);
    expect(chart.bars.every((bar) => bar.height === 0)).toBe(true);
  });
});
