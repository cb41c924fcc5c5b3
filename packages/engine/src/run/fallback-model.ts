import {
  type AsyncModel,
  AttachmentTypeError,
  ModelError,
  type ModelRegistry,
  NeedsKeyError,
  OptionsError,
  SchemaNotSupportedError,
  ToolsNotSupportedError,
} from '@llmq/core';

/** The model an attempt runs, and why it is not the prompt's own when it is a fallback. */
export interface ModelChoice {
  readonly model: AsyncModel;
  /** Its place: 0 for the prompt's own model, n for its n-th fallback. */
  readonly index: number;
  readonly fallbackReason: string | undefined;
}

/**
 * The prompt's model's fallbacks its key may use (its `allowed_models`): a key limited to some
 * models never has its prompt answered by another, fallback or not.
 */
export function allowedFallbacks(
  models: ModelRegistry,
  primary: AsyncModel,
  allowed: ReadonlySet<string> | undefined,
): readonly string[] {
  if (!allowed) return primary.fallbacks;
  return primary.fallbacks.filter((name) => allowed.has(models.get(name).modelId));
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
  fallbacks: readonly string[] = primary.fallbacks,
): ModelChoice {
  const index = Math.min(
    Math.floor((attempt - 1) / Math.max(attemptsPerModel, 1)),
    fallbacks.length,
  );
  if (index === 0) return { model: primary, index, fallbackReason: undefined };
  const failed = index === 1 ? primary.modelId : fallbacks[index - 2];
  return {
    model: models.get(fallbacks[index - 1] as string),
    index,
    fallbackReason: `${failed} failed ${attemptsPerModel} attempt${attemptsPerModel === 1 ? '' : 's'}${latestError ? `: ${latestError}` : ''}`,
  };
}

/**
 * The model to try after `choice` refused the prompt before answering: the next fallback, or,
 * once they are spent, the prompt's own model again (a fallback that cannot take the prompt
 * must not fail it while its own model may still answer); undefined when `choice` was the
 * prompt's own model and it has no fallback left.
 */
export function nextModel(
  models: ModelRegistry,
  primary: AsyncModel,
  choice: ModelChoice,
  error: unknown,
  fallbacks: readonly string[] = primary.fallbacks,
): ModelChoice | undefined {
  const message = error instanceof Error ? error.message : String(error);
  const next = fallbacks[choice.index];
  if (next !== undefined) {
    const why =
      error instanceof ModelError && error.contextExceeded
        ? 'refused the prompt as too long for its context'
        : 'cannot take this prompt';
    return {
      model: models.get(next),
      index: choice.index + 1,
      fallbackReason: `${choice.model.modelId} ${why}: ${message}`,
    };
  }
  return choice.index > 0 ? { model: primary, index: 0, fallbackReason: undefined } : undefined;
}

/**
 * Whether a model refused a prompt before answering it in a way another model may not: too
 * long for its context, or a prompt it cannot take (no key for it, options, a schema, tools or
 * attachments it does not accept). For a fallback, such a refusal passes to the next model.
 */
export function refusedBeforeAnswering(error: unknown, choice: ModelChoice): boolean {
  if (error instanceof ModelError) return error.contextExceeded;
  return (
    choice.index > 0 &&
    (error instanceof NeedsKeyError ||
      error instanceof OptionsError ||
      error instanceof SchemaNotSupportedError ||
      error instanceof ToolsNotSupportedError ||
      error instanceof AttachmentTypeError)
  );
}
