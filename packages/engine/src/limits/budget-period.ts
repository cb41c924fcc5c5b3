import type { BudgetPeriod } from '@llmq/contracts';

/** One budget period: from its first instant to the next period's (UTC calendar periods). */
export interface PeriodSpan {
  readonly start: Date;
  /** When the spend starts again from zero. */
  readonly resetsAt: Date;
}

/**
 * The UTC calendar period `now` falls in: a day, a week starting on Monday, or a month. The
 * usage ledger counts by UTC day, so every period starts at a day's midnight.
 */
export function periodOf(period: BudgetPeriod, now: Date): PeriodSpan {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const day = now.getUTCDate();
  switch (period) {
    case 'day':
      return { start: utc(year, month, day), resetsAt: utc(year, month, day + 1) };
    case 'week': {
      // getUTCDay: Sunday 0 … Saturday 6; days since Monday: Monday 0 … Sunday 6.
      const sinceMonday = (now.getUTCDay() + 6) % 7;
      return {
        start: utc(year, month, day - sinceMonday),
        resetsAt: utc(year, month, day - sinceMonday + 7),
      };
    }
    case 'month':
      return { start: utc(year, month, 1), resetsAt: utc(year, month + 1, 1) };
  }
}

/** A UTC day as the usage ledger writes it: `YYYY-MM-DD`. */
export function ledgerDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

function utc(year: number, month: number, day: number): Date {
  // Date.UTC carries overflowing days and months into the next month and year.
  return new Date(Date.UTC(year, month, day));
}

/** The minute window `now` falls in (epoch minutes), and when the next begins. */
export function minuteOf(nowMs: number): { readonly minute: number; readonly endsAt: number } {
  const minute = Math.floor(nowMs / 60_000);
  return { minute, endsAt: (minute + 1) * 60_000 };
}
