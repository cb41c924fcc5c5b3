import { randomUUID } from 'node:crypto';
import type { PromptQueue } from '@llmq/queue';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { SubjectId } from './limit-counters.ts';

/** How long a release is remembered: a gate decision made on older limits is undone within it. */
export const releaseMemoryMs = 60_000;
/** How many held jobs a release promotes at a time. */
const releaseChunk = 200;

/**
 * Add a held job to its subject's set (scored by when its hold ends; ended holds dropped), keep
 * the set until its last hold ends, and say when the subject was last released, if lately.
 */
const registerScript = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local keepMs = tonumber(ARGV[2]) - tonumber(ARGV[3]) + tonumber(ARGV[4])
if redis.call('PTTL', KEYS[1]) < keepMs then redis.call('PEXPIRE', KEYS[1], keepMs) end
return redis.call('GET', KEYS[2])
`;

/**
 * Add a job to the subject's waiters for a max_concurrent place (oldest first; kept an hour
 * past the last), then say whether a place is free now (lapsed leases dropped first): a place
 * given back before the job was named here woke nobody.
 */
const waitScript = `
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[4])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', ARGV[2])
if redis.call('ZCARD', KEYS[2]) < tonumber(ARGV[3]) then return 1 end
return 0
`;
/** How long a subject's waiters are kept after the last one was named. */
const waitersTtlMs = 3_600_000;
/** A woken waiter that is gone is passed over for the next, this many times at most. */
const wakeTries = 5;

/** Take the subject's held set away whole, so jobs held again meanwhile wait for the next. */
const takeScript = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
return 1
`;

const memberSchema = z.tuple([z.string(), z.string()]);

/**
 * The jobs limits hold back, per subject, in Redis, named by model and job id while they wait
 * in BullMQ's delayed set: a spent budget's until its period resets, so that an admin who
 * raises or clears the budget has them promoted at once instead; a full max_concurrent's, so
 * that each place given back wakes the longest waiter.
 */
export class HeldJobs {
  readonly #redis: Redis;
  readonly #prefix: string;

  constructor(redis: Redis, prefix: string) {
    this.#redis = redis;
    this.#prefix = prefix;
  }

  #key(kind: 'held' | 'released' | 'waiting' | 'running', subject: SubjectId): string {
    // `running` is LimitCounters' set of the subject's running places.
    return `${this.#prefix}:limits:${kind}:${subject}`;
  }

  /**
   * Name a job held back for a max_concurrent place of the subject (after it was moved to the
   * delayed set), to be woken when a place is given back; true when a place is free already
   * (the caller promotes the job then).
   */
  async waitForPlace(
    subject: SubjectId,
    model: string,
    jobId: string,
    limit: number,
    nowMs = Date.now(),
  ): Promise<boolean> {
    const free = await this.#redis.eval(
      waitScript,
      2,
      this.#key('waiting', subject),
      this.#key('running', subject),
      JSON.stringify([model, jobId]),
      nowMs,
      limit,
      waitersTtlMs,
    );
    return free === 1;
  }

  /**
   * A place of the subject was given back: promote its longest-waiting job (one that is gone,
   * or no longer delayed, is passed over). Whether one was promoted.
   */
  async wakeWaiter(subject: SubjectId, queue: Pick<PromptQueue, 'queueFor'>): Promise<boolean> {
    for (let tries = 0; tries < wakeTries; tries++) {
      const [member] = await this.#redis.zpopmin(this.#key('waiting', subject), 1);
      if (member === undefined) return false;
      if (await promote(queue, member)) return true;
    }
    return false;
  }

  /**
   * Name a job held back until `until` (epoch ms), after it was moved to the delayed set; the
   * time of the subject's last release (epoch ms) if one happened in the last minute.
   */
  async register(
    subject: SubjectId,
    model: string,
    jobId: string,
    until: number,
    nowMs = Date.now(),
  ): Promise<number | undefined> {
    const released = (await this.#redis.eval(
      registerScript,
      2,
      this.#key('held', subject),
      this.#key('released', subject),
      JSON.stringify([model, jobId]),
      until,
      nowMs,
      releaseMemoryMs,
    )) as string | null;
    return released === null ? undefined : Number(released);
  }

  /**
   * Promote every job the subject's budget holds (its budget was raised or cleared): they look
   * again at once. The release is remembered first, so a job held on older limits while this
   * runs sees it and is promoted by its worker. Jobs already gone (cancelled, taken) are
   * skipped. Returns how many were promoted.
   */
  async release(subject: SubjectId, queue: Pick<PromptQueue, 'queueFor'>): Promise<number> {
    await this.#redis.set(
      this.#key('released', subject),
      String(Date.now()),
      'PX',
      releaseMemoryMs,
    );
    const releasing = `${this.#key('held', subject)}:releasing:${randomUUID()}`;
    const taken = await this.#redis.eval(takeScript, 2, this.#key('held', subject), releasing);
    if (taken === 0) return 0;
    let promoted = 0;
    for (;;) {
      const members = await this.#redis.zrange(releasing, '0', String(releaseChunk - 1));
      if (members.length === 0) break;
      const results = await Promise.all(members.map((member) => promote(queue, member)));
      promoted += results.filter(Boolean).length;
      await this.#redis.zrem(releasing, ...members);
    }
    await this.#redis.del(releasing);
    return promoted;
  }
}

/** Promote one held job; false when it is no longer delayed (gone, cancelled, running). */
async function promote(queue: Pick<PromptQueue, 'queueFor'>, member: string): Promise<boolean> {
  const parsed = memberSchema.safeParse(safeJson(member));
  if (!parsed.success) return false;
  const [model, jobId] = parsed.data;
  const job = await queue.queueFor(model).getJob(jobId);
  if (!job) return false;
  try {
    await job.promote();
    return true;
  } catch {
    // Not delayed any more: it was taken, moved or removed meanwhile.
    return false;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
