import { type FailureTraits, LlmqError, type ModelRegistry } from '@llmq/core';

/** LLMQ_DEFAULT_MODEL names a model that no loaded plugin registers: the start stops. */
export class DefaultModelError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'default-model-unknown',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'DefaultModelError';
}

/** The model prompts get when they name none, and what llmq uses when nothing is configured. */
export const builtInDefaultModel = 'echo';

/**
 * The server's default model as a registered id: LLMQ_DEFAULT_MODEL (an id or alias), checked
 * against the registry at start; unset, `echo` when it is loaded, else none (prompts must then
 * name their model).
 */
export function resolveDefaultModel(
  models: ModelRegistry,
  given: string | undefined,
): string | undefined {
  if (given === undefined) {
    return models.has(builtInDefaultModel) ? models.get(builtInDefaultModel).modelId : undefined;
  }
  if (models.has(given)) return models.get(given).modelId;
  const ids = models.list().map((model) => model.id);
  throw new DefaultModelError(
    `LLMQ_DEFAULT_MODEL is ${JSON.stringify(given)}, which no loaded plugin registers; the models are: ${ids.join(', ') || 'none'} (LLMQ_PLUGINS chooses the plugins; GET /v1/models lists their models)`,
  );
}
