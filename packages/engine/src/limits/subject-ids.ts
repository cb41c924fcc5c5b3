import type { StoredLimits } from '@llmq/db';
import type { LimitCounters, SubjectId } from './limit-counters.ts';
import type { LimitHolder } from './limit-errors.ts';
import type { EffectiveLimits } from './subject-limits-reader.ts';

/** One subject's value of one limit, named for counters and for errors. */
export interface HeldLimit {
  readonly holder: LimitHolder;
  readonly subject: SubjectId;
  readonly limit: number;
}

/** The subjects (key, then owner) that set this limit, with its value. */
export function heldLimits(
  limits: EffectiveLimits,
  field: 'requestsPerMinute' | 'tokensPerMinute' | 'maxConcurrent',
): HeldLimit[] {
  const held: HeldLimit[] = [];
  const add = (holder: LimitHolder, subject: SubjectId, stored: StoredLimits | undefined) => {
    const limit = stored?.[field];
    if (limit !== null && limit !== undefined) held.push({ holder, subject, limit });
  };
  add('key', `key:${limits.key?.id}`, limits.key);
  add('owner', `owner:${limits.owner?.owner}`, limits.owner);
  return held;
}

/** The first limit whose subject used up this minute's tokens, with what it used. */
export async function spentTokens(
  counters: LimitCounters,
  limits: EffectiveLimits,
): Promise<{ held: HeldLimit; used: number } | undefined> {
  const held = heldLimits(limits, 'tokensPerMinute');
  const used = await counters.tokensThisMinute(held.map(({ subject }) => subject));
  for (const [index, each] of held.entries()) {
    const tokens = used[index] ?? 0;
    if (tokens >= each.limit) return { held: each, used: tokens };
  }
  return undefined;
}
