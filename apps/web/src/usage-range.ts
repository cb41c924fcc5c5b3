import { firstUsageDay } from '@llmq/contracts';

/**
 * The most days the usage page shows at once: a year, a leap day included. The chart draws a
 * bar per day, so a range of centuries would draw tens of thousands.
 */
export const maxUsageDays = 366;
/** The days shown when the address names none: the last 30, today included. */
const defaultDays = 30;
const dayMs = 86_400_000;
const dayPattern = /^\d{4}-\d{2}-\d{2}$/;

/** The UTC days the usage page shows, both included. */
export interface UsageRange {
  readonly from: string;
  readonly to: string;
  /** The `from` the address asked for, when the range was longer than `maxUsageDays`. */
  readonly askedFrom?: string;
}

/** A day the API can count (0001-01-01 onwards, four-digit years), else undefined. */
export function validDay(value: string | null): string | undefined {
  if (!value || !dayPattern.test(value) || value < firstUsageDay) return undefined;
  const time = Date.parse(`${value}T00:00:00Z`);
  // A day past its month's end (2026-02-30) parses to another day, or not at all.
  return !Number.isNaN(time) && dayText(time) === value ? value : undefined;
}

/** How many UTC days `from` to `to` spans, both included. */
export function daysInRange(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / dayMs) + 1;
}

/**
 * The days the page's address (`?from=&to=`) asks for: `to` defaults to today, `from` to 29
 * days before it; a range longer than `maxUsageDays` keeps its last days. Neither starts
 * before 0001-01-01, the API's first day.
 */
export function usageRange(search: URLSearchParams, today: string): UsageRange {
  const to = validDay(search.get('to')) ?? today;
  const asked = validDay(search.get('from'));
  const from = asked ?? daysBefore(to, defaultDays - 1);
  if (from <= to && daysInRange(from, to) > maxUsageDays) {
    return { from: daysBefore(to, maxUsageDays - 1), to, askedFrom: from };
  }
  return { from, to };
}

/** The query of a usage request for these days, split as asked, each value encoded. */
export function usageQuery(range: UsageRange, groupBy: string): string {
  return new URLSearchParams({ from: range.from, to: range.to, group_by: groupBy }).toString();
}

function daysBefore(day: string, days: number): string {
  const time = Date.parse(`${day}T00:00:00Z`) - days * dayMs;
  // Before year 1 the text would be -000001-…: the API's first day is the earliest.
  return new Date(time).getUTCFullYear() < 1 ? firstUsageDay : dayText(time);
}

function dayText(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}
