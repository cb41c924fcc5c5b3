import { describe, expect, it } from 'vitest';
import { ledgerDay, minuteOf, periodOf } from './budget-period.ts';

const at = (iso: string) => new Date(iso);

describe('periodOf', () => {
  it('gives the UTC day, resetting at the next midnight', () => {
    const span = periodOf('day', at('2026-12-04T23:59:59.999Z'));
    expect(span.start.toISOString()).toBe('2026-12-04T00:00:00.000Z');
    expect(span.resetsAt.toISOString()).toBe('2026-12-05T00:00:00.000Z');
  });

  it('starts weeks on Monday, a Sunday belonging to the week before', () => {
    // 2026-12-06 is a Sunday, 2026-12-07 a Monday.
    expect(periodOf('week', at('2026-12-06T12:00:00Z')).start.toISOString()).toBe(
      '2026-11-30T00:00:00.000Z',
    );
    const monday = periodOf('week', at('2026-12-07T00:00:00Z'));
    expect(monday.start.toISOString()).toBe('2026-12-07T00:00:00.000Z');
    expect(monday.resetsAt.toISOString()).toBe('2026-12-14T00:00:00.000Z');
  });

  it('carries a week across a year end', () => {
    // 2026-12-31 is a Thursday: its week runs Monday 28 December to Monday 4 January.
    const span = periodOf('week', at('2026-12-31T08:00:00Z'));
    expect(span.start.toISOString()).toBe('2026-12-28T00:00:00.000Z');
    expect(span.resetsAt.toISOString()).toBe('2027-01-04T00:00:00.000Z');
  });

  it('gives calendar months, December resetting in January', () => {
    const span = periodOf('month', at('2026-12-15T10:00:00Z'));
    expect(span.start.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(span.resetsAt.toISOString()).toBe('2027-01-01T00:00:00.000Z');
    expect(periodOf('month', at('2028-02-29T10:00:00Z')).resetsAt.toISOString()).toBe(
      '2028-03-01T00:00:00.000Z',
    );
  });

  it('names ledger days as the ledger writes them', () => {
    expect(ledgerDay(periodOf('week', at('2026-12-06T12:00:00Z')).start)).toBe('2026-11-30');
  });
});

describe('minuteOf', () => {
  it('ends a minute at the next whole minute', () => {
    const now = Date.parse('2026-12-04T20:41:17.250Z');
    const { minute, endsAt } = minuteOf(now);
    expect(minute).toBe(Math.floor(now / 60_000));
    expect(new Date(endsAt).toISOString()).toBe('2026-12-04T20:42:00.000Z');
  });
});
