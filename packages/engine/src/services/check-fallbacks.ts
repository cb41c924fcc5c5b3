import { type FailureTraits, LlmqError, type ModelRegistry } from '@llmq/core';

/** A model's fallback names no loaded model, or the model itself: the start stops. */
export class FallbackModelError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'fallback-model-unknown',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'FallbackModelError';
}

/**
 * Check every model's fallbacks against the loaded models at start, so a typo in a model's
 * configuration stops the start rather than failing prompts once their model falters. Each
 * model gets LLMQ_FALLBACK_AFTER_ATTEMPTS of the job's LLMQ_JOB_ATTEMPTS in turn, so a prompt
 * reaches only as many fallbacks as its attempts allow (the docs say so).
 */
export function checkFallbacks(models: ModelRegistry): void {
  for (const model of models.models()) {
    const named = new Set<string>();
    for (const fallback of model.fallbacks) {
      if (!models.has(fallback)) {
        const ids = models.list().map((each) => each.id);
        throw new FallbackModelError(
          `Model ${model.modelId} falls back to ${JSON.stringify(fallback)}, which no loaded plugin registers; the models are: ${ids.join(', ')}`,
        );
      }
      const id = models.get(fallback).modelId;
      if (id === model.modelId) {
        throw new FallbackModelError(`Model ${model.modelId} names itself as its fallback`);
      }
      if (named.has(id)) {
        throw new FallbackModelError(`Model ${model.modelId} names ${id} as a fallback twice`);
      }
      named.add(id);
    }
  }
}
