import { getPrompt } from '@llmq/db';
import type { Logger } from 'pino';
import { spentBudget } from './budget-check.ts';
import { minuteOf } from './budget-period.ts';
import type { SubjectId } from './limit-counters.ts';
import { heldLimits, spentTokens } from './subject-ids.ts';
import type { SubjectLimits } from './subject-limits.ts';
import type { Subject } from './subject-limits-reader.ts';

/** A job about to start, as the gate sees it. */
export interface GateJob {
  readonly promptId: string;
  /** From the job's data; both absent on a job added without them (the row says then). */
  readonly owner?: string | null | undefined;
  readonly apiKeyId?: string | null | undefined;
  /** Batch items also count against requests and tokens per minute here (prompts did at submit). */
  readonly batchItem: boolean;
  /** The job's last delay, so waits for a place grow while the subject stays full. */
  readonly lastDelayMs: number;
}

/** Start now (and give the places taken back at the end), or wait until `until` (epoch ms). */
export type GateVerdict =
  | { readonly start: true; leave(): Promise<void> }
  | { readonly start: false; readonly until: number; readonly reason: string };

export interface StartGateOptions {
  /** LLMQ_LIMITS_RECHECK_MS: the longest a held-back job waits before it looks again. */
  readonly recheckMs: number;
  /** How long a running place lasts without renewal: a dead worker's places lapse after it. */
  readonly leaseMs?: number | undefined;
  readonly logger: Logger;
}

const free: GateVerdict = { start: true, leave: async () => undefined };
/** The shortest wait for a place under max_concurrent. */
const shortestPlaceWaitMs = 500;

/**
 * Whether a prompt may start now under its key's and owner's budgets and limits, checked by
 * the worker before it claims the prompt (the prompt stays `queued` while it waits):
 *
 * - a spent budget holds every prompt of the subject back until the period resets, looking
 *   again every `recheckMs` (a raised budget lets them start). A prompt starts only while
 *   spend < budget, so a budget is overshot by no more than the prompts already running when
 *   it was reached;
 * - `max_concurrent`: a place in the subject's fleet-wide running set (a lease renewed while
 *   the prompt runs), or a wait that grows while the subject stays full;
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

  constructor(limits: SubjectLimits, options: StartGateOptions) {
    this.#limits = limits;
    this.#recheckMs = options.recheckMs;
    this.#leaseMs = options.leaseMs ?? 30_000;
    this.#logger = options.logger;
  }

  async enter(job: GateJob): Promise<GateVerdict> {
    const subject = await this.#subjectOf(job);
    if (!subject) return free;
    const limits = await this.#limits.reader.limitsOf(subject);
    if (!limits) return free;
    const now = Date.now();
    const budget = await spentBudget(this.#limits.db, limits, new Date(now));
    if (budget) {
      return this.#wait(
        Math.min(budget.resetsAt.getTime(), now + jittered(this.#recheckMs)),
        budget.message,
      );
    }
    const nextMinute = minuteOf(now).endsAt;
    if (job.batchItem) {
      const tokens = await spentTokens(this.#limits.counters, limits);
      if (tokens) {
        return this.#wait(spreadOver(nextMinute), `${tokens.held.holder} tokens_per_minute`);
      }
    }
    const places = heldLimits(limits, 'maxConcurrent');
    const counters = this.#limits.counters;
    const refusedPlace = await counters.takePlace(job.promptId, places, this.#leaseMs, now);
    if (refusedPlace) {
      const wait = Math.min(this.#recheckMs, Math.max(shortestPlaceWaitMs, job.lastDelayMs * 2));
      const held = places[refusedPlace.index];
      return this.#wait(now + jittered(wait), `${held?.holder} max_concurrent`);
    }
    const taken = places.map(({ subject: id }) => id);
    if (job.batchItem) {
      const requests = heldLimits(limits, 'requestsPerMinute');
      const refused = await counters.countRequest(requests, now);
      if (refused) {
        await counters.leavePlace(job.promptId, taken);
        const held = requests[refused.index];
        return this.#wait(spreadOver(nextMinute), `${held?.holder} requests_per_minute`);
      }
    }
    return taken.length === 0 ? free : this.#holding(job.promptId, taken);
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
  #holding(promptId: string, taken: SubjectId[]): GateVerdict {
    const counters = this.#limits.counters;
    const renew = setInterval(() => {
      counters.renewPlace(promptId, taken, this.#leaseMs).catch((error: unknown) => {
        this.#logger.warn({ err: error, promptId }, 'could not renew the running place');
      });
    }, this.#leaseMs / 3);
    renew.unref();
    return {
      start: true,
      leave: async () => {
        clearInterval(renew);
        // A place not given back lapses with its lease.
        await counters.leavePlace(promptId, taken).catch((error: unknown) => {
          this.#logger.warn({ err: error, promptId }, 'could not give the running place back');
        });
      },
    };
  }
}

/** A wait made a little random, so held-back jobs do not all look again at once. */
function jittered(waitMs: number): number {
  return Math.round(waitMs * (0.75 + Math.random() * 0.5));
}

/** A time in the first seconds of the next minute, so its jobs do not all come at once. */
function spreadOver(nextMinute: number): number {
  return nextMinute + Math.round(Math.random() * 5_000);
}
