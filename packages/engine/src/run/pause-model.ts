import type { Redis } from 'ioredis';

// BullMQ's own pause (Worker.rateLimit) sets the queue's limiter key to its maximum for the
// given time, replacing a longer pause another worker set. This one only ever lengthens it.
// KEYS[1]: the queue's limiter key. ARGV: the value BullMQ treats as "limit reached", the pause.
const lengthenPauseScript = `
local remaining = redis.call('PTTL', KEYS[1])
local wanted = tonumber(ARGV[2])
if remaining >= wanted then return remaining end
redis.call('SET', KEYS[1], ARGV[1], 'PX', wanted)
return wanted
`;

/**
 * Pause a model's queue for every worker for at least `pauseMs` (a provider's Retry-After): a
 * shorter answer from another request never cuts a longer pause short. Returns how long the
 * queue is now paused, in milliseconds.
 */
export async function pauseModel(
  connection: Redis,
  limiterKey: string,
  pauseMs: number,
): Promise<number> {
  const paused = await connection.eval(
    lengthenPauseScript,
    1,
    limiterKey,
    String(Number.MAX_SAFE_INTEGER),
    String(pauseMs),
  );
  return Number(paused);
}
