import { percentile } from '../percentile.ts';
import type { FacadePath, MeasuredProcess, PathMeasure } from './path-measure.ts';

interface Summary {
  readonly firstToken50: number;
  readonly firstToken99: number;
  readonly total50: number;
  readonly total99: number;
}

/** Time to first token and to the end, p50 and p99, over a path's measured calls. */
export function summarize(measure: PathMeasure): Summary {
  const firstTokens = measure.timings.map((timing) => timing.firstToken);
  const totals = measure.timings.map((timing) => timing.total);
  return {
    firstToken50: percentile(firstTokens, 50),
    firstToken99: percentile(firstTokens, 99),
    total50: percentile(totals, 50),
    total99: percentile(totals, 99),
  };
}

/** What a path adds to the straight one, figure by figure (a percentile's difference). */
export function addedTo(straight: Summary, through: Summary): Summary {
  return {
    firstToken50: through.firstToken50 - straight.firstToken50,
    firstToken99: through.firstToken99 - straight.firstToken99,
    total50: through.total50 - straight.total50,
    total99: through.total99 - straight.total99,
  };
}

const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
const columns = (row: Summary) =>
  `${ms(row.firstToken50)}  ${ms(row.firstToken99)}  ${ms(row.total50)}  ${ms(row.total99)}`;

/**
 * "1.80 / 1.62 ms" (from /proc/<pid>/stat / from schedstat), and for several processes each
 * one's after it: "12.67 / 12.10 ms (api 6.13 / 5.90 + worker 6.53 / 6.20)".
 */
function cpuCell(path: FacadePath, measure: PathMeasure): string {
  if (path.processes.length === 0) return '–';
  const pair = (processes: readonly MeasuredProcess[]) =>
    `${measure.cpuPerCallMs(processes).toFixed(2)} / ${measure.cpuPerCallMs(processes, 'schedstat').toFixed(2)}`;
  const total = `${pair(path.processes)} ms`;
  if (path.processes.length === 1) return total;
  const parts = path.processes.map((process) => `${process.name} ${pair([process])}`);
  return `${total} (${parts.join(' + ')})`;
}

/**
 * A path's processes' CPU while the other paths ran, ms per second (schedstat): what they cost
 * serving nothing, which a call's own figure includes for as long as it lasts.
 */
function idleCpuPerSecond(
  path: FacadePath,
  measures: ReadonlyMap<FacadePath, PathMeasure>,
): number {
  let micros = 0;
  let elapsedMs = 0;
  for (const [other, measure] of measures) {
    if (other.processes.some((process) => path.processes.includes(process))) continue;
    for (const process of path.processes) micros += measure.schedstatMicros.get(process.name) ?? 0;
    elapsedMs += measure.elapsedMs;
  }
  return micros / elapsedMs;
}

/**
 * One mode's table: each path's timings and the CPU per call of the processes it adds, then
 * what each adds to the straight path (the first).
 */
export function printModeTable(
  paths: readonly FacadePath[],
  measures: ReadonlyMap<FacadePath, PathMeasure>,
): void {
  const [straightPath] = paths;
  const straightMeasure = straightPath && measures.get(straightPath);
  if (!straightMeasure) throw new Error('no straight path measured');
  const straight = summarize(straightMeasure);
  const header = '   TTFT p50    TTFT p99   total p50   total p99';
  console.log(`${''.padEnd(31)}${header}   CPU per call, stat / schedstat (its processes)`);
  for (const path of paths) {
    const measure = measures.get(path);
    if (!measure) continue;
    console.log(
      `${path.name.padEnd(31)}${columns(summarize(measure))}   ${cpuCell(path, measure)}`,
    );
  }
  console.log(`added to the straight path`);
  for (const path of paths.slice(1)) {
    const measure = measures.get(path);
    if (!measure) continue;
    console.log(`  ${path.name.padEnd(29)}${columns(addedTo(straight, summarize(measure)))}`);
  }
  const idle = paths
    .filter((path) => path.processes.length > 0)
    .map((path) => `${path.name} ${idleCpuPerSecond(path, measures).toFixed(2)}`);
  console.log(`idle CPU while the other paths ran, ms per s (schedstat): ${idle.join(', ')}`);
}
