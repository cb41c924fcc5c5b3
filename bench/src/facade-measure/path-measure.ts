import { setTimeout as sleep } from 'node:timers/promises';
import type OpenAI from 'openai';
import { processCpuMicros } from '../pipeline-measure/proc-stat.ts';
import { processCpuMs } from '../process-cpu.ts';
import type { TimedCall, Timing } from './timed-calls.ts';

/** A process whose CPU a path costs, beyond the bench's own (its clients and the upstream). */
export interface MeasuredProcess {
  readonly name: string;
  readonly pid: number;
}

/** One way to the upstream server: straight, through a proxy, or through the llmq facade. */
export interface FacadePath {
  readonly name: string;
  readonly client: OpenAI;
  readonly call: TimedCall;
  /** Empty for the straight path: nothing stands between the client and the server. */
  readonly processes: readonly MeasuredProcess[];
}

/** CPU so far, µs: /proc/<pid>/stat's utime + stime, and the threads' schedstat run time. */
interface CpuReading {
  readonly stat: number;
  readonly schedstat: number;
}

/**
 * What one path's measured calls took: their timings, their wall time, and every watched
 * process's CPU over them (not only the path's own: an idle process's CPU while the other
 * paths run is what it costs when it serves nothing).
 */
export class PathMeasure {
  readonly timings: Timing[] = [];
  /** Wall milliseconds the measured calls (and their settling) took. */
  elapsedMs = 0;
  /** µs of utime + stime per process name, summed over the measured calls. */
  readonly statMicros = new Map<string, number>();
  /** µs of schedstat run time per process name (nanosecond precision), likewise. */
  readonly schedstatMicros = new Map<string, number>();

  /** CPU per call, ms, of these processes summed, from /proc/<pid>/stat or schedstat. */
  cpuPerCallMs(
    processes: readonly MeasuredProcess[],
    source: 'stat' | 'schedstat' = 'stat',
  ): number {
    const figures = source === 'stat' ? this.statMicros : this.schedstatMicros;
    let total = 0;
    for (const process of processes) total += figures.get(process.name) ?? 0;
    return total / 1000 / this.timings.length;
  }

  add(process: MeasuredProcess, before: CpuReading, after: CpuReading): void {
    const add = (figures: Map<string, number>, delta: number) =>
      figures.set(process.name, (figures.get(process.name) ?? 0) + delta);
    add(this.statMicros, after.stat - before.stat);
    add(this.schedstatMicros, after.schedstat - before.schedstat);
  }
}

const readCpu = (processes: readonly MeasuredProcess[]): CpuReading[] =>
  processes.map((process) => ({
    stat: processCpuMicros(process.pid),
    schedstat: processCpuMs(process.pid) * 1000,
  }));

/**
 * Run `calls` of the path's calls at once into `measure`, with every watched process's CPU
 * read before and after. `settleMs` after the last stream ends lets work that trails it (a
 * worker's final write, a socket's close) land in this path's count rather than the next's.
 */
export async function measureCalls(
  path: FacadePath,
  measure: PathMeasure,
  watched: readonly MeasuredProcess[],
  calls: number,
  settleMs: number,
  firstIndex = 0,
): Promise<void> {
  const before = readCpu(watched);
  const start = performance.now();
  const timings = await Promise.all(
    Array.from({ length: calls }, (_, index) =>
      path.call(path.client, 'bench-model', firstIndex + index),
    ),
  );
  if (settleMs > 0) await sleep(settleMs);
  const after = readCpu(watched);
  measure.elapsedMs += performance.now() - start;
  measure.timings.push(...timings);
  watched.forEach((process, index) => {
    const first = before[index];
    const last = after[index];
    if (first && last) measure.add(process, first, last);
  });
}
