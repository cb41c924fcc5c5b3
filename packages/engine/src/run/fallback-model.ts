import type { AsyncModel, ModelRegistry } from '@llmq/core';

/** The model an attempt runs, and why it is not the prompt's own when it is a fallback. */
export interface ModelChoice {
  readonly model: AsyncModel;
  /** Its place: 0 for the prompt's own model, n for its n-th fallback. */
  readonly index: number;
  readonly fallbackReason: string | undefined;
}

/**
 * The model for an attempt: the prompt's own for its first `attemptsPerModel` attempts, then
 * each of its fallbacks in turn for as many (the last one keeps the attempts left). A provider
 * that keeps failing is left for the next, with the latest error as the reason.
 */
export function modelForAttempt(
  models: ModelRegistry,
  primary: AsyncModel,
  attempt: number,
  attemptsPerModel: number,
  latestError: string | null,
): ModelChoice {
  const index = Math.min(
    Math.floor((attempt - 1) / Math.max(attemptsPerModel, 1)),
    primary.fallbacks.length,
  );
  if (index === 0) return { model: primary, index, fallbackReason: undefined };
  const failed = index === 1 ? primary.modelId : primary.fallbacks[index - 2];
  return {
    model: models.get(primary.fallbacks[index - 1] as string),
    index,
    fallbackReason: `${failed} failed ${attemptsPerModel} attempt${attemptsPerModel === 1 ? '' : 's'}${latestError ? `: ${latestError}` : ''}`,
  };
}

/** The next fallback after `choice` for a prompt too long for its model's context, if any. */
export function fallbackForContext(
  models: ModelRegistry,
  primary: AsyncModel,
  choice: ModelChoice,
  error: string,
): ModelChoice | undefined {
  const next = primary.fallbacks[choice.index];
  if (next === undefined) return undefined;
  return {
    model: models.get(next),
    index: choice.index + 1,
    fallbackReason: `${choice.model.modelId} refused the prompt as too long for its context: ${error}`,
  };
}
