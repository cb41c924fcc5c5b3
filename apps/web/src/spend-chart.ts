/** One day's spend, as GET /v1/usage?group_by=day gives it (days without spend are absent). */
export interface DaySpend {
  readonly day: string;
  readonly cost_usd: number;
}

/** A bar of the chart, in the chart's own units (its viewBox). */
export interface SpendBar {
  readonly day: string;
  readonly costUsd: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface SpendChartModel {
  readonly width: number;
  readonly height: number;
  /** The top of the scale: the largest day's spend (0 when nothing was spent). */
  readonly maxUsd: number;
  readonly bars: readonly SpendBar[];
}

const dayMs = 86_400_000;

/** Every UTC day from `from` to `to` (YYYY-MM-DD), both included. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  const last = Date.parse(`${to}T00:00:00Z`);
  for (let time = Date.parse(`${from}T00:00:00Z`); time <= last; time += dayMs) {
    days.push(new Date(time).toISOString().slice(0, 10));
  }
  return days;
}

/**
 * The bars of a spend-per-day chart: one per day of the range (a day without spend gets a bar
 * of no height, so gaps show), heights proportional to the largest day's spend, a small gap
 * between bars.
 */
export function spendChart(
  spend: readonly DaySpend[],
  from: string,
  to: string,
  size: { readonly width: number; readonly height: number } = { width: 600, height: 160 },
): SpendChartModel {
  const byDay = new Map(spend.map((entry) => [entry.day, entry.cost_usd]));
  const days = daysBetween(from, to);
  const maxUsd = Math.max(0, ...days.map((day) => byDay.get(day) ?? 0));
  const slot = days.length > 0 ? size.width / days.length : size.width;
  const gap = Math.min(2, slot / 5);
  const bars = days.map((day, index) => {
    const costUsd = byDay.get(day) ?? 0;
    const height = maxUsd > 0 ? (costUsd / maxUsd) * size.height : 0;
    return {
      day,
      costUsd,
      x: index * slot + gap / 2,
      y: size.height - height,
      width: slot - gap,
      height,
    };
  });
  return { width: size.width, height: size.height, maxUsd, bars };
}
