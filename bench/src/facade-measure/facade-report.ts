import { percentile } from '../percentile.ts';
import type { FacadePath, PathMeasure } from './path-measure.ts';

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

/** "2.41 ms", or for several processes "20.3 ms (api 12.0 + worker 8.3)". */
function cpuCell(path: FacadePath, measure: PathMeasure): string {
  if (path.processes.length === 0) return '–';
  const total = `${measure.cpuPerCallMs().toFixed(2)} ms`;
  if (path.processes.length === 1) return total;
  const parts = path.processes.map(
    (process) => `${process.name} ${measure.processCpuPerCallMs(process.name).toFixed(2)}`,
  );
  return `${total} (${parts.join(' + ')})`;
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
  console.log(`${''.padEnd(31)}${header}   CPU per call (its processes)`);
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
}
