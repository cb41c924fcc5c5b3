import {
  asSchemaId,
  ConciseSchemaError,
  containsNul,
  multiSchema,
  parseConciseSchema,
  type SchemaInput,
} from '@llmq/contracts';
import { schemaIdOf } from '@llmq/contracts/schema-id';
import type { JsonSchema } from '@llmq/core';
import { type DatabaseExecutor, getVisibleSchema, type OwnerScope } from '@llmq/db';
import { compileJsonSchema } from './compile-json-schema.ts';
import { InvalidSchemaError, UnknownSchemaError } from './schema-errors.ts';

/** A schema ready to store and link: its content and the id that content hashes to. */
export interface ResolvedSchema {
  readonly id: string;
  readonly content: Record<string, unknown>;
}

export interface ResolveSchemaOptions {
  /** Wrap it as `{items: [<schema>, …]}` (llm's `--schema-multi`). */
  readonly multi?: boolean | undefined;
  /** Whose stored schemas an id may name. */
  readonly owner?: OwnerScope;
}

/**
 * Turn a schema as a request gives it into the JSON Schema to store: an object as it is; 64
 * hex digits (either case), a stored schema this owner's prompts or batches use; any other string,
 * llm's concise syntax. The result must compile (draft 2020-12, see `compileJsonSchema`), so a
 * schema no answer could ever match is refused before anything is queued.
 */
export async function resolveSchema(
  db: DatabaseExecutor,
  input: SchemaInput | JsonSchema,
  options: ResolveSchemaOptions = {},
): Promise<ResolvedSchema> {
  let schema: Record<string, unknown>;
  const id = typeof input === 'string' ? asSchemaId(input) : undefined;
  if (typeof input !== 'string') {
    schema = { ...input };
  } else if (id !== undefined) {
    const stored = await getVisibleSchema(db, id, options.owner);
    if (!stored) throw new UnknownSchemaError(id);
    schema = stored.content;
  } else {
    try {
      schema = { ...parseConciseSchema(input) };
    } catch (error) {
      if (error instanceof ConciseSchemaError) throw new InvalidSchemaError(error.message);
      throw error;
    }
  }
  if (options.multi) schema = { ...multiSchema(schema) };
  // Callers other than the HTTP schemas (the OpenAI facade) may pass what zod never saw.
  if (containsNul(schema)) {
    throw new InvalidSchemaError('The schema may not contain the NUL character (\\u0000)');
  }
  compileJsonSchema(schema);
  return { id: schemaIdOf(schema), content: schema };
}
