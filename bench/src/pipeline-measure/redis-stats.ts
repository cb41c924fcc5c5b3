import type { Redis } from 'ioredis';
import { processCpuMicros } from './proc-stat.ts';

/** Calls per command so far, from INFO commandstats (`cmdstat_<name>:calls=N,…`). */
export async function commandCalls(redis: Redis): Promise<Map<string, number>> {
  const text = await redis.info('commandstats');
  const calls = new Map<string, number>();
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) {
    calls.set(match[1] as string, Number(match[2]));
  }
  return calls;
}

/**
 * Calls per command between two samples, the INFO calls that took the samples left out.
 * Redis counts a command a script runs under that command too (an EVALSHA that runs 3 HSETs
 * shows as 1 evalsha and 3 hset), so the total counts scripts' inner calls as well.
 */
export function callsBetween(
  before: ReadonlyMap<string, number>,
  after: ReadonlyMap<string, number>,
): Map<string, number> {
  const delta = new Map<string, number>();
  for (const [command, calls] of after) {
    if (command === 'info') continue;
    const difference = calls - (before.get(command) ?? 0);
    if (difference > 0) delta.set(command, difference);
  }
  return delta;
}

/** redis-server's pid, from INFO server (`process_id`). */
export async function redisServerPid(redis: Redis): Promise<number> {
  const match = /^process_id:(\d+)/m.exec(await redis.info('server'));
  if (!match) throw new Error('INFO server gave no process_id');
  return Number(match[1]);
}

export function redisCpuMicros(pid: number): number {
  return processCpuMicros(pid);
}
