import type { ModelRegistry } from '@llmq/core';
import { InvalidRequestError } from '../failures/service-errors.ts';

/**
 * The ids of the models a key may use, from ids or aliases: stored as ids, so an alias that is
 * later given to another model does not widen the key. Every unknown name is named at once.
 */
export function allowedModelIds(models: ModelRegistry, names: readonly string[]): string[] {
  const unknown = names.filter((name) => !models.has(name));
  if (unknown.length > 0) {
    throw new InvalidRequestError(
      `Unknown ${unknown.length === 1 ? 'model' : 'models'} in allowed_models: ${unknown.join(', ')}; GET /v1/models lists the models (by id or alias)`,
    );
  }
  return [...new Set(names.map((name) => models.get(name).modelId))];
}
