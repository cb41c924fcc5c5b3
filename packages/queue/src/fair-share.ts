import { PRIORITY_LIMIT, type Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/**
 * Batch work of different owners shares a model's queue round-robin, through BullMQ's own
 * priorities (lower runs first; equal ones in the order they were added), so the workers pay
 * nothing for it: each owner has a virtual time per queue, and the n items an owner adds get
 * priorities base+1 … base+n, base = max(the owner's time, the queue's clock), the owner's time
 * then base+n. The clock is the lowest priority waiting (kept monotonic: a retried job coming
 * back with an old priority does not pull it back). An owner's small batch thus starts near the
 * head of the queue and alternates one-for-one with another owner's 100,000 waiting items.
 *
 * State lives in Redis beside the queue, updated by one script per chunk added, so every api
 * process of a fleet agrees. The times restart from 0 when the queue holds nothing (nothing
 * waiting, running or delayed, so no job can come back with an old priority) and no chunk was
 * reserved for a minute: a chunk reserved but not yet added (its addBulk under way, maybe in
 * another process) is not in the queue yet, and a reset then would give the next chunk of the
 * same owner the same turns. BullMQ caps priorities at 2,097,151: past it, items get the cap
 * and run in the order they were added (FIFO among themselves, after every item below it) until
 * the queue empties and rests once.
 *
 * KEYS: prioritized, active, delayed (BullMQ's), owner times (hash), clock, recent reservation.
 * ARGV: owner, count, cap, rest (ms). Returns base.
 */
const reserveScript = `
local clock = 0
if redis.call('EXISTS', KEYS[6]) == 0 and redis.call('ZCARD', KEYS[1]) == 0
  and redis.call('LLEN', KEYS[2]) == 0 and redis.call('ZCARD', KEYS[3]) == 0 then
  redis.call('DEL', KEYS[4], KEYS[5])
else
  clock = tonumber(redis.call('GET', KEYS[5]) or '0')
  local head = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #head > 0 then
    clock = math.max(clock, math.floor(tonumber(head[2]) / 4294967296))
    redis.call('SET', KEYS[5], clock)
  end
end
local base = math.max(clock, tonumber(redis.call('HGET', KEYS[4], ARGV[1]) or '0'))
redis.call('HSET', KEYS[4], ARGV[1], math.min(base + tonumber(ARGV[2]), tonumber(ARGV[3])))
redis.call('SET', KEYS[6], '1', 'PX', ARGV[4])
return base
`;

interface ReserveCommand {
  llmqFairShareReserve(
    prioritizedKey: string,
    activeKey: string,
    delayedKey: string,
    timesKey: string,
    clockKey: string,
    recentKey: string,
    owner: string,
    count: string,
    cap: string,
    restMs: string,
  ): Promise<number>;
}

/** The highest priority BullMQ takes (2^21 - 1); fair-share priorities stop there. */
export const fairSharePriorityCap = PRIORITY_LIMIT;

/** How long an empty queue rests after its last reservation before its times restart. */
const restMs = 60_000;

/** Gives batch items the BullMQ priorities that share a queue's batch work between owners. */
export class FairShare {
  readonly #connection: Redis;

  constructor(connection: Redis) {
    this.#connection = connection;
    connection.defineCommand('llmqFairShareReserve', { numberOfKeys: 6, lua: reserveScript });
  }

  /**
   * The priorities of `count` items an owner adds to a queue now, in the order they are added
   * (`null`, laptop mode and admin keys, is one owner of its own).
   */
  async priorities(queue: Queue, owner: string | null, count: number): Promise<number[]> {
    if (count === 0) return [];
    const keys = fairShareKeys(queue);
    const base = await (this.#connection as unknown as ReserveCommand).llmqFairShareReserve(
      queue.toKey('prioritized'),
      queue.toKey('active'),
      queue.toKey('delayed'),
      keys.times,
      keys.clock,
      keys.recent,
      owner ?? '',
      String(count),
      String(fairSharePriorityCap),
      String(restMs),
    );
    return Array.from({ length: count }, (_, index) =>
      Math.min(Number(base) + index + 1, fairSharePriorityCap),
    );
  }
}

/** Where a queue's fair-share state lives: beside BullMQ's keys, under the queue's name. */
export function fairShareKeys(queue: Queue): { times: string; clock: string; recent: string } {
  return {
    times: queue.toKey('fair-share:times'),
    clock: queue.toKey('fair-share:clock'),
    recent: queue.toKey('fair-share:recent'),
  };
}
