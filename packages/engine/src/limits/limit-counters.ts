import type { Redis } from 'ioredis';
import { minuteOf } from './budget-period.ts';

/** A counter or set of one subject: `key:<id>` or `owner:<name>`. */
export type SubjectId = `key:${string}` | `owner:${string}`;

/** A count over its limit: which of the checked subjects (by position) and how far it got. */
export interface Refusal {
  readonly index: number;
  readonly used: number;
}

/**
 * Check every counter against its limit and, only when all are below, add one to each: a
 * request refused by one limit does not use up another's.
 */
const countRequestScript = `
for i = 1, #KEYS do
  local used = tonumber(redis.call('GET', KEYS[i]) or '0')
  if used >= tonumber(ARGV[i + 1]) then return {i, used} end
end
for i = 1, #KEYS do
  redis.call('INCR', KEYS[i])
  redis.call('EXPIRE', KEYS[i], ARGV[1])
end
return {0, 0}
`;

/**
 * Take a place in every running set whose limit allows it, or none: leases that expired (their
 * worker died) are dropped first; a run that holds a place already keeps it.
 */
const takePlaceScript = `
local now = ARGV[1]
for i = 1, #KEYS do
  redis.call('ZREMRANGEBYSCORE', KEYS[i], '-inf', now)
  if not redis.call('ZSCORE', KEYS[i], ARGV[3]) then
    local used = redis.call('ZCARD', KEYS[i])
    if used >= tonumber(ARGV[i + 4]) then return {i, used} end
  end
end
for i = 1, #KEYS do
  redis.call('ZADD', KEYS[i], ARGV[2], ARGV[3])
  redis.call('PEXPIRE', KEYS[i], ARGV[4])
end
return {0, 0}
`;

/** Per-minute counters live two minutes: the current one is all that is read. */
const minuteTtlSeconds = 120;

/**
 * The fleet-wide counts behind per-minute and concurrency limits, in Redis: requests and tokens
 * per subject per minute (fixed one-minute windows), and the prompts each subject runs, as a
 * sorted set of leases scored by their expiry, renewed while they run (a dead worker's lapse).
 */
export class LimitCounters {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #key(kind: 'requests' | 'tokens' | 'running', subject: SubjectId, minute?: number): string {
    return `${this.#prefix}:limits:${kind}:${subject}${minute === undefined ? '' : `:${minute}`}`;
  }

  /** Count one request for each subject, unless one is at its limit this minute. */
  async countRequest(
    limits: ReadonlyArray<{ readonly subject: SubjectId; readonly limit: number }>,
    nowMs = Date.now(),
  ): Promise<Refusal | undefined> {
    if (limits.length === 0) return undefined;
    const { minute } = minuteOf(nowMs);
    const [index, used] = (await this.#redis.eval(
      countRequestScript,
      limits.length,
      ...limits.map(({ subject }) => this.#key('requests', subject, minute)),
      minuteTtlSeconds,
      ...limits.map(({ limit }) => limit),
    )) as [number, number];
    return index === 0 ? undefined : { index: index - 1, used };
  }

  /** Requests the subjects made this minute. */
  async requestsThisMinute(subjects: readonly SubjectId[], nowMs = Date.now()): Promise<number[]> {
    if (subjects.length === 0) return [];
    const { minute } = minuteOf(nowMs);
    const values = await this.#redis.mget(
      ...subjects.map((subject) => this.#key('requests', subject, minute)),
    );
    return values.map((value) => Number(value ?? 0));
  }

  /** Tokens of the subjects' answers that ended this minute. */
  async tokensThisMinute(subjects: readonly SubjectId[], nowMs = Date.now()): Promise<number[]> {
    if (subjects.length === 0) return [];
    const { minute } = minuteOf(nowMs);
    const values = await this.#redis.mget(
      ...subjects.map((subject) => this.#key('tokens', subject, minute)),
    );
    return values.map((value) => Number(value ?? 0));
  }

  /** Add an answer's tokens to this minute's count of each subject. */
  async addTokens(subjects: readonly SubjectId[], tokens: number, nowMs = Date.now()) {
    if (subjects.length === 0 || tokens <= 0) return;
    const { minute } = minuteOf(nowMs);
    const pipeline = this.#redis.multi();
    for (const subject of subjects) {
      const key = this.#key('tokens', subject, minute);
      pipeline.incrby(key, tokens).expire(key, minuteTtlSeconds);
    }
    await pipeline.exec();
  }

  /**
   * Take a running place under every subject's limit, or none. `place` names one run of a
   * prompt (`<prompt id>:<lock token>`): a later run of the same prompt holds a place of its own.
   */
  async takePlace(
    place: string,
    limits: ReadonlyArray<{ readonly subject: SubjectId; readonly limit: number }>,
    leaseMs: number,
    nowMs = Date.now(),
  ): Promise<Refusal | undefined> {
    if (limits.length === 0) return undefined;
    const [index, used] = (await this.#redis.eval(
      takePlaceScript,
      limits.length,
      ...limits.map(({ subject }) => this.#key('running', subject)),
      nowMs,
      nowMs + leaseMs,
      place,
      leaseMs * 4,
      ...limits.map(({ limit }) => limit),
    )) as [number, number];
    return index === 0 ? undefined : { index: index - 1, used };
  }

  /** Keep the run's places while it runs. */
  async renewPlace(place: string, subjects: readonly SubjectId[], leaseMs: number) {
    const pipeline = this.#redis.multi();
    for (const subject of subjects) {
      const key = this.#key('running', subject);
      pipeline.zadd(key, 'XX', Date.now() + leaseMs, place).pexpire(key, leaseMs * 4);
    }
    await pipeline.exec();
  }

  /** Give the run's places back (its own only): it ended, or it did not start. */
  async leavePlace(place: string, subjects: readonly SubjectId[]) {
    const pipeline = this.#redis.multi();
    for (const subject of subjects) pipeline.zrem(this.#key('running', subject), place);
    await pipeline.exec();
  }
}
