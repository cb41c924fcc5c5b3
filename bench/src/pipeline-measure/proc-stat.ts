import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** Clock ticks per second, the unit of /proc/<pid>/stat's times (100 on Linux almost always). */
const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

export interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  /** utime + stime: CPU the process has used so far, every thread, live or exited, in µs. */
  readonly cpuMicros: number;
  /** cutime + cstime: CPU of its children that ended and were waited for, in µs. */
  readonly reapedChildrenMicros: number;
}

/**
 * One process's /proc/<pid>/stat: fields 14–17 (utime, stime, cutime, cstime, in clock ticks of
 * 10 ms). The command name (field 2) is in parentheses and may hold spaces, so the fields are
 * counted from the last ')'. Undefined when the process is gone.
 */
export function readProcStat(pid: number): ProcStat | undefined {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH') return undefined;
    throw error;
  }
  // After ')': state(3) ppid(4) … utime(14) stime(15) cutime(16) cstime(17).
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const tick = (index: number) => (Number(fields[index - 3]) * 1e6) / ticksPerSecond;
  return {
    pid,
    ppid: Number(fields[1]),
    cpuMicros: tick(14) + tick(15),
    reapedChildrenMicros: tick(16) + tick(17),
  };
}

/** The CPU a process has used so far, µs; 0 once it is gone. */
export function processCpuMicros(pid: number): number {
  return readProcStat(pid)?.cpuMicros ?? 0;
}

/** The live children of a process, from every /proc/<pid>/stat's ppid. */
export function childrenOf(parent: number): ProcStat[] {
  const children: ProcStat[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = readProcStat(Number(entry));
    if (stat?.ppid === parent) children.push(stat);
  }
  return children;
}

/**
 * A whole process tree's CPU so far, µs: the parent's own, its reaped children's, and its live
 * children's. Over an interval the delta counts a child that started and ended inside it (the
 * parent reaps it into cutime/cstime) as well as one alive at both ends.
 */
export function treeCpuMicros(parent: number): number {
  const own = readProcStat(parent);
  if (!own) return 0;
  let total = own.cpuMicros + own.reapedChildrenMicros;
  for (const child of childrenOf(parent)) total += child.cpuMicros;
  return total;
}
