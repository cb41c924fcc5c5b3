import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time a process has run so far, in milliseconds, summed over its threads (the main thread,
 * GC helpers, libuv's pool) from /proc's scheduler statistics, to the nanosecond: /proc/<pid>/stat
 * counts in 10 ms ticks, too coarse for a phase of a few hundred milliseconds.
 */
export function processCpuMs(pid: number): number {
  let nanoseconds = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(
        readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0],
      );
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return nanoseconds / 1e6;
}
