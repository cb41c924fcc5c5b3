import type { ModelPrices } from '@llmq/contracts';
import { type FailureTraits, LlmqError, type ModelRegistry, UnknownModelError } from '@llmq/core';

/** LLMQ_MODEL_PRICES names a model no loaded plugin registers: the start stops. */
export class ModelPricesError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'model-prices-invalid',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ModelPricesError';
}

/** Each priced model's prices by its id (LLMQ_MODEL_PRICES names models by id or alias). */
export function resolveModelPrices(
  models: ModelRegistry,
  configured: Readonly<Record<string, ModelPrices>>,
): ReadonlyMap<string, ModelPrices> {
  const byModel = new Map<string, ModelPrices>();
  for (const [name, prices] of Object.entries(configured)) {
    try {
      byModel.set(models.get(name).modelId, prices);
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
      const ids = models.list().map((model) => model.id);
      throw new ModelPricesError(
        `LLMQ_MODEL_PRICES names ${JSON.stringify(name)}, which no loaded plugin registers; the models are: ${ids.join(', ')}`,
      );
    }
  }
  return byModel;
}
