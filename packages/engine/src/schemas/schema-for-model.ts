import type { SchemaInput } from '@llmq/contracts';
import {
  type AsyncModel,
  type JsonSchema,
  type ModelRegistry,
  SchemaNotSupportedError,
} from '@llmq/core';
import type { DatabaseExecutor, OwnerScope } from '@llmq/db';
import { type ResolvedSchema, resolveSchema } from './resolve-schema.ts';

/** Refuse a schema for a model that cannot answer to one, naming those that can. */
export function requireSchemaSupport(models: ModelRegistry, model: AsyncModel): void {
  if (model.supportsSchema) return;
  const supporting = models
    .models()
    .filter((each) => each.supportsSchema)
    .map((each) => each.modelId);
  throw new SchemaNotSupportedError(model.modelId, supporting);
}

/**
 * The schema of a prompt for a model, resolved and checked (`resolveSchema`): refused first
 * when the model does not support schemas, so nothing about the schema is looked up for it.
 */
export async function schemaForModel(
  services: { readonly db: DatabaseExecutor; readonly models: ModelRegistry },
  model: AsyncModel,
  schema: SchemaInput | JsonSchema,
  options: { readonly multi?: boolean | undefined; readonly owner?: OwnerScope },
): Promise<ResolvedSchema> {
  requireSchemaSupport(services.models, model);
  return resolveSchema(services.db, schema, options);
}
