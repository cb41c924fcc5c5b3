import { getPrompt } from '@llmq/db';
import type { PromptQueue } from '@llmq/queue';
import type { Logger } from 'pino';
import { spentBudget } from './budget-check.ts';
import { minuteOf } from './budget-period.ts';
import type { SubjectId } from './limit-counters.ts';
import { heldLimits, spentTokens } from './subject-ids.ts';
import type { SubjectLimits } from './subject-limits.ts';
import type { EffectiveLimits, Subject } from './subject-limits-reader.ts';

/** A job about to start, as the gate sees it. */
export interface GateJob {
  readonly promptId: string;
  /**
   * This run of the job (the worker's lock token): a running place is this run's, so a run
   * that lost its lock and the run that took the job over each hold and give back their own.
   */
  readonly runId?: string | undefined;
  /** From the job's data; both absent on a job added without them (the row says then). */
  readonly owner?: string | null | undefined;
  readonly apiKeyId?: string | null | undefined;
  /** Batch items also count against requests and tokens per minute here (prompts did at submit). */
  readonly batchItem: boolean;
  /** The job's last delay, so waits for a place grow while the subject stays full. */
  readonly lastDelayMs: number;
}

/** A hold on a spent budget: whose, and when the limits it was decided on were read. */
export interface BudgetHold {
  readonly subject: SubjectId;
  readonly basis: number;
}

/** Start now (and give the places taken back at the end), or wait until `until` (epoch ms). */
export type GateVerdict =
  | { readonly start: true; leave(): Promise<void> }
  | {
      readonly start: false;
      readonly until: number;
      readonly reason: string;
      /** Set when a spent budget holds the job: it waits for the period's reset or a release. */
      readonly budgetHold?: BudgetHold | undefined;
      /** Set when a full max_concurrent holds the job: a place given back wakes it. */
      readonly placeWait?: { readonly subject: SubjectId; readonly limit: number } | undefined;
    };

type HoldVerdict = Extract<GateVerdict, { start: false }>;

export interface StartGateOptions {
  /**
   * LLMQ_LIMITS_RECHECK_MS: the longest a job waiting for a max_concurrent place waits before it
   * looks again on its own; ten times that when waiters are woken (`queue`). A spent budget's
   * hold lasts until its period resets or a release.
   */
  readonly recheckMs: number;
  /** How long a running place lasts without renewal: a dead worker's places lapse after it. */
  readonly leaseMs?: number | undefined;
  readonly logger: Logger;
  /**
   * The prompt queues, to wake a job waiting for a max_concurrent place when one is given back.
   * Without them, waiters only look again on their own, every recheck interval at most.
   */
  readonly queue?: Pick<PromptQueue, 'queueFor'> | undefined;
}

const free: GateVerdict = { start: true, leave: async () => undefined };
/** The shortest wait for a place under max_concurrent. */
const shortestPlaceWaitMs = 500;
/**
 * How long this worker takes a subject's spent budget as spent without asking the database
 * again (refusals only: a start is always checked). A release undoes it sooner.
 */
const spentMemoryMs = 10_000;
/** How long a subject found at its max_concurrent counts as full here without asking Redis. */
const fullMemoryMs = shortestPlaceWaitMs;
/**
 * With waiters woken as places are given back, a waiter looks again on its own (a place lost
 * with a dead worker's lease wakes nobody) at most every this many recheck intervals.
 */
const wokenWaitFactor = 10;
/** Memory of refusals is dropped whole past this many subjects (it only saves reads). */
const rememberedSubjectsAtMost = 10_000;
/** Clocks of the fleet's hosts may differ this much when a release is compared to a read. */
const clockSkewMs = 1_000;

/**
 * Whether a prompt may start now under its key's and owner's budgets and limits, checked by
 * the worker before it claims the prompt (the prompt stays `queued` while it waits):
 *
 * - a spent budget holds every prompt of the subject back until the period resets, named in
 *   the subject's set of held jobs so that an admin raising or clearing the budget promotes
 *   them at once ({@link HeldJobs}). A prompt starts only while spend < budget, so a budget is
 *   overshot by no more than the prompts already running when it was reached. This worker
 *   remembers the refusal for a few seconds: the subject's next jobs cost no database read;
 * - `max_concurrent`: a place in the subject's fleet-wide running set (a lease renewed while
 *   the prompt runs), or a wait among the subject's waiters, woken when a place is given
 *   back, looking again on its own after a wait that grows while the subject stays full;
 * - batch items also wait for the next minute when the subject's requests or tokens of this
 *   minute are used up (an interactive prompt was counted when it was submitted).
 *
 * A subject without limits costs nothing: the limits are a cached snapshot.
 */
export class StartGate {
  readonly #limits: SubjectLimits;
  readonly #recheckMs: number;
  readonly #leaseMs: number;
  readonly #logger: Logger;
  readonly #queue: Pick<PromptQueue, 'queueFor'> | undefined;
  /** Spent budgets seen lately, by subject: the hold they gave, until when it is trusted. */
  readonly #spent = new Map<SubjectId, { verdict: HoldVerdict; trustedUntil: number }>();
  /** Subjects found at their max_concurrent lately, until when. */
  readonly #full = new Map<SubjectId, number>();

  constructor(limits: SubjectLimits, options: StartGateOptions) {
    this.#limits = limits;
    this.#recheckMs = options.recheckMs;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#logger = options.logger;
    this.#queue = options.queue;
  }

  async enter(job: GateJob): Promise<GateVerdict> {
    const subject = await this.#subjectOf(job);
    if (!subject) return free;
    const { limits, readAt } = await this.#limits.reader.limitsRead(subject);
    if (!limits) return free;
    const now = Date.now();
    const remembered = this.#rememberedSpend(limits, now);
    if (remembered) return remembered;
    const budget = await spentBudget(this.#limits.db, limits, new Date(now));
    if (budget) {
      const held: SubjectId =
        budget.holder === 'key' ? `key:${limits.key?.id}` : `owner:${limits.owner?.owner}`;
      const verdict: HoldVerdict = {
        start: false,
        until: budget.resetsAt.getTime(),
        reason: budget.message,
        budgetHold: { subject: held, basis: readAt },
      };
      if (this.#spent.size >= rememberedSubjectsAtMost) this.#spent.clear();
      this.#spent.set(held, { verdict, trustedUntil: now + spentMemoryMs });
      return verdict;
    }
    const nextMinute = minuteOf(now).endsAt;
    if (job.batchItem) {
      const tokens = await spentTokens(this.#limits.counters, limits);
      if (tokens) {
        return this.#wait(
          spreadOver(nextMinute, job.lastDelayMs),
          `${tokens.held.holder} tokens_per_minute`,
        );
      }
    }
    const places = heldLimits(limits, 'maxConcurrent');
    const counters = this.#limits.counters;
    const full = places.findIndex(({ subject: id }) => (this.#full.get(id) ?? 0) > now);
    const refusedPlace =
      full >= 0
        ? { index: full }
        : await counters.takePlace(placeOf(job), places, this.#leaseMs, now);
    if (refusedPlace) {
      const longest = this.#queue ? this.#recheckMs * wokenWaitFactor : this.#recheckMs;
      const wait = Math.min(longest, Math.max(shortestPlaceWaitMs, job.lastDelayMs * 2));
      const held = places[refusedPlace.index];
      if (held && full < 0) {
        if (this.#full.size >= rememberedSubjectsAtMost) this.#full.clear();
        this.#full.set(held.subject, now + fullMemoryMs);
      }
      return {
        start: false,
        until: now + jittered(wait),
        reason: `${held?.holder} max_concurrent`,
        placeWait: held && { subject: held.subject, limit: held.limit },
      };
    }
    const taken = places.map(({ subject: id }) => id);
    if (job.batchItem) {
      const requests = heldLimits(limits, 'requestsPerMinute');
      const refused = await counters.countRequest(requests, now);
      if (refused) {
        await this.#giveBack(placeOf(job), taken);
        const held = requests[refused.index];
        return this.#wait(
          spreadOver(nextMinute, job.lastDelayMs),
          `${held?.holder} requests_per_minute`,
        );
      }
    }
    return taken.length === 0 ? free : this.#holding(job.promptId, placeOf(job), taken);
  }

  /**
   * After a budget hold moved the job to the delayed set: name it in its subject's held set.
   * When the subject was released since the limits the hold was decided on were read, the hold
   * is undone (`promote`) and this worker forgets what it remembered of the subject.
   */
  async heldBack(
    verdict: HoldVerdict,
    job: { readonly model: string; readonly jobId: string },
    promote: () => Promise<void>,
  ): Promise<void> {
    const wait = verdict.placeWait;
    if (wait && this.#queue) {
      const free = await this.#limits.held.waitForPlace(
        wait.subject,
        job.model,
        job.jobId,
        wait.limit,
      );
      if (free) {
        this.#full.delete(wait.subject);
        await promote().catch(() => undefined);
      }
      return;
    }
    const hold = verdict.budgetHold;
    if (!hold) return;
    const released = await this.#limits.held.register(
      hold.subject,
      job.model,
      job.jobId,
      verdict.until,
    );
    if (released === undefined || released < hold.basis - clockSkewMs) return;
    this.#spent.delete(hold.subject);
    this.#limits.reader.forget();
    await promote().catch((error: unknown) => {
      this.#logger.debug({ err: error, jobId: job.jobId }, 'released job had moved on already');
    });
  }

  /** Give a run's places back, and wake the longest waiter of each subject for its place. */
  async #giveBack(place: string, taken: readonly SubjectId[]): Promise<void> {
    await this.#limits.counters.leavePlace(place, taken);
    // The subject is not full for this worker any more.
    for (const id of taken) this.#full.delete(id);
    const queue = this.#queue;
    if (!queue) return;
    await Promise.all(taken.map((id) => this.#limits.held.wakeWaiter(id, queue)));
  }

  /** A spent budget of the key or the owner seen here lately, still trusted. */
  #rememberedSpend(limits: EffectiveLimits, now: number): HoldVerdict | undefined {
    const subjects: SubjectId[] = [];
    if (limits.key) subjects.push(`key:${limits.key.id}`);
    if (limits.owner) subjects.push(`owner:${limits.owner.owner}`);
    for (const id of subjects) {
      const remembered = this.#spent.get(id);
      if (!remembered) continue;
      if (remembered.trustedUntil > now && remembered.verdict.until > now) {
        return remembered.verdict;
      }
      this.#spent.delete(id);
    }
    return undefined;
  }

  async #subjectOf(job: GateJob): Promise<Subject | undefined> {
    if (job.owner !== undefined || job.apiKeyId !== undefined) {
      return { owner: job.owner, apiKeyId: job.apiKeyId };
    }
    // A job added without its subject (an older job, the reconciler's): the row says, read only
    // while some subject has limits.
    if (!(await this.#limits.reader.anyLimits())) return undefined;
    const row = await getPrompt(this.#limits.db, job.promptId);
    return row ? { owner: row.owner, apiKeyId: row.apiKeyId } : undefined;
  }

  #wait(until: number, reason: string): GateVerdict {
    return { start: false, until, reason };
  }

  /** Places kept while the prompt runs (renewed), and given back at its end. */
  #holding(promptId: string, place: string, taken: SubjectId[]): GateVerdict {
    const counters = this.#limits.counters;
    const renew = setInterval(() => {
      counters.renewPlace(place, taken, this.#leaseMs).catch((error: unknown) => {
        this.#logger.warn({ err: error, promptId }, 'could not renew the running place');
      });
    }, this.#leaseMs / 3);
    renew.unref();
    return {
      start: true,
      leave: async () => {
        clearInterval(renew);
        // A place not given back lapses with its lease.
        await this.#giveBack(place, taken).catch((error: unknown) => {
          this.#logger.warn({ err: error, promptId }, 'could not give the running place back');
        });
      },
    };
  }
}

/** The member a run holds in its subjects' running sets. */
function placeOf(job: GateJob): string {
  return job.runId === undefined ? job.promptId : `${job.promptId}:${job.runId}`;
}

/** A wait made a little random, so held-back jobs do not all look again at once. */
function jittered(waitMs: number): number {
  return Math.round(waitMs * (0.75 + Math.random() * 0.5));
}

/** How far past the next minute a first hold by a per-minute limit is spread. */
const firstMinuteSpreadMs = 5_000;
/** The widest spread of a job held by per-minute limits again and again. */
export const widestMinuteSpreadMs = 300_000;

/**
 * A time past the start of the next minute, so held jobs do not all come at once: within its
 * first seconds for a job held the first time; over up to twice its last wait (at most five
 * minutes) for one held before, so a large backlog comes back a part at a time instead of
 * whole every minute (a minute admits only its limit's worth anyway).
 */
function spreadOver(nextMinute: number, lastDelayMs: number): number {
  const spreadMs = Math.min(widestMinuteSpreadMs, Math.max(firstMinuteSpreadMs, lastDelayMs * 2));
  return nextMinute + Math.round(Math.random() * spreadMs);
}
