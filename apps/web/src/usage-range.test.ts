import { describe, expect, it } from 'vitest';
import { daysInRange, usageQuery, usageRange, validDay } from './usage-range.ts';

const range = (search: string) => usageRange(new URLSearchParams(search), '2026-03-31');

describe('usageRange', () => {
  it('defaults to the last 30 days up to today, or up to the `to` asked', () => {
    expect(range('')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    expect(range('to=2026-01-30')).toEqual({ from: '2026-01-01', to: '2026-01-30' });
    expect(range('from=2026-03-30&to=2026-03-31')).toEqual({
      from: '2026-03-30',
      to: '2026-03-31',
    });
  });

  it('keeps the last 366 days of a longer range, and says what was asked', () => {
    const narrowed = range('from=1900-01-01&to=2100-12-31');
    expect(narrowed).toEqual({ from: '2099-12-31', to: '2100-12-31', askedFrom: '1900-01-01' });
    expect(daysInRange(narrowed.from, narrowed.to)).toBe(366);
    expect(range('from=2024-01-01&to=2024-12-31')).toEqual({
      from: '2024-01-01',
      to: '2024-12-31',
    });
    expect(range('from=2024-01-01&to=2025-01-01')).toEqual({
      from: '2024-01-02',
      to: '2025-01-01',
      askedFrom: '2024-01-01',
    });
  });

  it('never starts before 0001-01-01, and ignores days the API cannot count', () => {
    expect(range('to=0001-01-05')).toEqual({ from: '0001-01-01', to: '0001-01-05' });
    expect(range('to=0000-01-01')).toEqual({ from: '2026-03-02', to: '2026-03-31' });
    for (const day of ['0000-12-31', '2026-02-30', '2026-3-1', '2026-03-01&group_by=owner', '']) {
      expect(validDay(day)).toBeUndefined();
    }
    expect(validDay('0001-01-01')).toBe('0001-01-01');
    expect(validDay('9999-12-31')).toBe('9999-12-31');
  });
});

describe('usageQuery', () => {
  it('encodes each value', () => {
    expect(usageQuery({ from: '2026-03-01', to: '2026-03-31&x=1' }, 'day')).toBe(
      'from=2026-03-01&to=2026-03-31%26x%3D1&group_by=day',
    );
  });
});
