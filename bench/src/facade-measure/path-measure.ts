import { setTimeout as sleep } from 'node:timers/promises';
import type OpenAI from 'openai';
import { processCpuMicros } from '../pipeline-measure/proc-stat.ts';
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

/** What one path's measured calls took: their timings, and each process's CPU over them. */
export class PathMeasure {
  readonly timings: Timing[] = [];
  /** µs of utime + stime per process name, summed over the measured calls. */
  readonly cpuMicros = new Map<string, number>();

  /** CPU per call, ms, of every process of the path summed. */
  cpuPerCallMs(): number {
    let total = 0;
    for (const micros of this.cpuMicros.values()) total += micros;
    return total / 1000 / this.timings.length;
  }

  /** CPU per call, ms, of one process. */
  processCpuPerCallMs(name: string): number {
    return (this.cpuMicros.get(name) ?? 0) / 1000 / this.timings.length;
  }
}

const cpuOf = (path: FacadePath) => path.processes.map((process) => processCpuMicros(process.pid));

/**
 * Run `calls` of the path's calls at once into `measure`, with each of its processes'
 * /proc/<pid>/stat utime + stime read before and after. `settleMs` after the last stream ends
 * lets work that trails it (a worker's final write, a socket's close) land in this path's count
 * rather than the next path's.
 */
export async function measureCalls(
  path: FacadePath,
  measure: PathMeasure,
  calls: number,
  settleMs: number,
  firstIndex = 0,
): Promise<void> {
  const before = cpuOf(path);
  const timings = await Promise.all(
    Array.from({ length: calls }, (_, index) =>
      path.call(path.client, 'bench-model', firstIndex + index),
    ),
  );
  if (settleMs > 0) await sleep(settleMs);
  const after = cpuOf(path);
  measure.timings.push(...timings);
  path.processes.forEach((process, index) => {
    const delta = (after[index] ?? 0) - (before[index] ?? 0);
    measure.cpuMicros.set(process.name, (measure.cpuMicros.get(process.name) ?? 0) + delta);
  });
}
