import type { ModelLimits } from '@llmq/contracts';
import { type FailureTraits, LlmqError, type ModelRegistry, UnknownModelError } from '@llmq/core';
import type { PromptQueue } from '@llmq/queue';

/** A model named in LLMQ_MODEL_LIMITS that no plugin registers. */
export class ModelLimitsError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'model-limits-invalid',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'ModelLimitsError';
}

/** Each model's limits by model id, with the default timeout where none is set. */
export interface ResolvedModelLimits {
  readonly byModel: ReadonlyMap<string, ModelLimits>;
  timeoutMs(model: string): number;
}

/** Resolve configured limits (by id or alias) to model ids; an unknown model stops the start. */
export function resolveModelLimits(
  models: ModelRegistry,
  configured: Readonly<Record<string, ModelLimits>>,
  defaultTimeoutMs: number,
): ResolvedModelLimits {
  const byModel = new Map<string, ModelLimits>();
  for (const [name, limits] of Object.entries(configured)) {
    let id: string;
    try {
      id = models.get(name).modelId;
    } catch (error) {
      if (!(error instanceof UnknownModelError)) throw error;
      throw new ModelLimitsError(
        `LLMQ_MODEL_LIMITS names ${JSON.stringify(name)}, which no loaded plugin registers; the models are: ${models
          .list()
          .map((model) => model.id)
          .join(', ')}`,
      );
    }
    byModel.set(id, { ...byModel.get(id), ...limits });
  }
  return {
    byModel,
    timeoutMs: (model) => byModel.get(model)?.timeout_ms ?? defaultTimeoutMs,
  };
}

/**
 * Write every model's fleet-wide limits into its queue (removing those no longer configured):
 * BullMQ then holds them for all workers at once, in Redis.
 */
export async function applyModelLimits(
  queue: PromptQueue,
  models: ModelRegistry,
  limits: ResolvedModelLimits,
): Promise<void> {
  for (const model of models.models()) {
    const configured = limits.byModel.get(model.modelId);
    await queue.setLimits(model.modelId, {
      concurrency: configured?.concurrency,
      rate: configured?.rpm ? { max: configured.rpm, durationMs: 60_000 } : undefined,
    });
  }
}
