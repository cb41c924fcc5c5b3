import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time a process has run so far, in milliseconds, summed over its live threads (the main
 * thread, GC helpers, libuv's pool) from /proc's scheduler statistics: nanosecond units, though
 * a running thread's figure can lag by up to a scheduler tick. /proc/<pid>/stat counts in 10 ms
 * ticks, too coarse for a phase of a few hundred milliseconds. A thread that exits takes its
 * time with it, so compare samples only across phases where the threads stay (a Node process
 * keeps its pool threads).
 */
export function processCpuMs(pid: number): number {
  let nanoseconds = 0;
  let threadsRead = 0;
  for (const thread of readdirSync(`/proc/${pid}/task`)) {
    try {
      nanoseconds += Number(
        readFileSync(`/proc/${pid}/task/${thread}/schedstat`, 'utf8').split(' ')[0],
      );
      threadsRead++;
    } catch (error) {
      // Only a thread that ended between the listing and the read is skipped.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ESRCH') throw error;
    }
  }
  if (threadsRead === 0) throw new Error(`no thread of process ${pid} could be read in /proc`);
  return nanoseconds / 1e6;
}
