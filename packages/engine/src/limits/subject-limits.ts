import { type AsyncModel, type ModelRegistry, UnknownModelError } from '@llmq/core';
import { type Database, unfinishedInteractivePrompts } from '@llmq/db';
import type { PromptQueue } from '@llmq/queue';
import type { Redis } from 'ioredis';
import { spentBudget } from './budget-check.ts';
import { minuteOf } from './budget-period.ts';
import { HeldJobs } from './held-jobs.ts';
import { LimitCounters, type Refusal, type SubjectId } from './limit-counters.ts';
import { LimitExceededError, ModelNotAllowedError } from './limit-errors.ts';
import { type HeldLimit, heldLimits, spentTokens } from './subject-ids.ts';
import { type Subject, SubjectLimitsReader } from './subject-limits-reader.ts';

/** What is being submitted: one prompt (interactive), or one batch (one request, many items). */
export type SubmissionKind = 'prompt' | 'batch';

/**
 * Budgets and per-key and per-owner limits, held across the fleet: the limits as read from the
 * database (cached), and the Redis counters behind the per-minute and concurrency limits.
 */
export class SubjectLimits {
  readonly db: Database;
  readonly reader: SubjectLimitsReader;
  readonly counters: LimitCounters;
  /** The jobs spent budgets hold back, per subject, for a raised budget to promote. */
  readonly held: HeldJobs;

  constructor(db: Database, redis: Redis, prefix: string, reader = new SubjectLimitsReader(db)) {
    this.db = db;
    this.reader = reader;
    this.counters = new LimitCounters(redis, prefix);
    this.held = new HeldJobs(redis, prefix);
  }

  /**
   * An admin changed a subject's limits: this process reads them again at its next look, and
   * when the budget changed (raised, cleared, another period), the jobs it held back are
   * promoted to look again now (those still over a budget are held again). Other processes
   * read the change within their limits' recheck (two seconds).
   */
  async changed(
    subject: SubjectId,
    queue: Pick<PromptQueue, 'queueFor'>,
    change: { readonly budget: boolean },
  ): Promise<void> {
    this.reader.forget();
    if (change.budget) await this.held.release(subject, queue);
  }

  /**
   * Refuse work before anything of it is stored or queued: a model the key may not use (403),
   * a spent budget (402), or a limit reached (429): tokens this minute, interactive prompts
   * queued or running (prompts only), then requests this minute (looked at, not counted: see
   * takeRequest).
   */
  async admit(
    models: ModelRegistry,
    subject: Subject,
    model: AsyncModel,
    kind: SubmissionKind,
  ): Promise<void> {
    const limits = await this.reader.limitsOf(subject);
    if (!limits) return;
    const allowed = limits.key?.allowedModels;
    if (allowed && !allowedIds(models, allowed).has(model.modelId)) {
      throw new ModelNotAllowedError(model.modelId, allowed);
    }
    const now = Date.now();
    const budget = await spentBudget(this.db, limits, new Date(now));
    if (budget) throw budget;
    const nextMinute = new Date(minuteOf(now).endsAt);
    const tokens = await spentTokens(this.counters, limits);
    if (tokens) {
      throw new LimitExceededError({
        holder: tokens.held.holder,
        limit: 'tokens_per_minute',
        value: tokens.held.limit,
        used: tokens.used,
        retryAt: nextMinute,
      });
    }
    if (kind === 'prompt') {
      for (const held of heldLimits(limits, 'maxConcurrent')) {
        const of =
          held.holder === 'key'
            ? { apiKeyId: limits.key?.id as string }
            : { owner: limits.owner?.owner as string };
        const used = await unfinishedInteractivePrompts(this.db, of, held.limit);
        if (used >= held.limit) {
          throw new LimitExceededError({
            holder: held.holder,
            limit: 'max_concurrent',
            value: held.limit,
            used,
            retryAt: new Date(now + 1_000),
          });
        }
      }
    }
    // Looked at only: the request is counted once it is valid (takeRequest), so a refused one
    // does not use up the minute.
    const requests = heldLimits(limits, 'requestsPerMinute');
    const used = await this.counters.requestsThisMinute(
      requests.map(({ subject: id }) => id),
      now,
    );
    const full = requests.findIndex((held, index) => (used[index] ?? 0) >= held.limit);
    if (full >= 0) throw requestsRefusal(requests, { index: full, used: used[full] ?? 0 }, now);
  }

  /**
   * Count the request in this minute of its key and owner, or refuse it (429) when one of them
   * used its requests per minute meanwhile. Called once the request is valid, just before it is
   * stored.
   */
  async takeRequest(subject: Subject): Promise<void> {
    const limits = await this.reader.limitsOf(subject);
    if (!limits) return;
    const requests = heldLimits(limits, 'requestsPerMinute');
    const now = Date.now();
    const refused = await this.counters.countRequest(requests, now);
    if (refused) throw requestsRefusal(requests, refused, now);
  }

  /**
   * The model ids the key may use (its `allowed_models` resolved), or undefined when it may use
   * every model: a worker choosing a fallback keeps within them.
   */
  async allowedModelIds(
    models: ModelRegistry,
    subject: Subject,
  ): Promise<ReadonlySet<string> | undefined> {
    const allowed = (await this.reader.limitsOf(subject))?.key?.allowedModels;
    return allowed ? allowedIds(models, allowed) : undefined;
  }

  /**
   * Count an answer's tokens in this minute of its key and owner, when either limits tokens per
   * minute (others cost nothing). Called after the answer's end is stored.
   */
  async recordTokens(subject: Subject, tokens: number): Promise<void> {
    if (tokens <= 0) return;
    const limits = await this.reader.limitsOf(subject);
    if (!limits) return;
    const held = heldLimits(limits, 'tokensPerMinute');
    await this.counters.addTokens(
      held.map(({ subject: id }) => id),
      tokens,
    );
  }
}

/** The 429 of a subject whose requests of this minute are used. */
function requestsRefusal(
  requests: readonly HeldLimit[],
  refused: Refusal,
  now: number,
): LimitExceededError {
  const held = requests[refused.index] ?? (requests[0] as HeldLimit);
  return new LimitExceededError({
    holder: held.holder,
    limit: 'requests_per_minute',
    value: held.limit,
    used: refused.used,
    retryAt: new Date(minuteOf(now).endsAt),
  });
}

/** The model ids a key's allowed list names (ids or aliases; unknown names allow nothing). */
function allowedIds(models: ModelRegistry, allowed: readonly string[]): Set<string> {
  const ids = new Set<string>();
  for (const name of allowed) {
    try {
      ids.add(models.get(name).modelId);
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
    }
  }
  return ids;
}
