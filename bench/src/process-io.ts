import { readFileSync } from 'node:fs';

/**
 * The write system calls a process has made so far (`syscw` of /proc/<pid>/io: every write,
 * writev and send, to sockets, pipes and files alike).
 */
export function processWriteCalls(pid: number): number {
  const io = readFileSync(`/proc/${pid}/io`, 'utf8');
  return Number(/^syscw:\s+(\d+)/m.exec(io)?.[1] ?? Number.NaN);
}
