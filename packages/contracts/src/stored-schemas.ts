import { z } from 'zod';

/**
 * A stored schema's id as given: 64 hex digits, in either case (stored ids are lowercase). Both
 * cases are spelt out rather than flagged `i`: the OpenAPI document shows the pattern as is.
 */
export const schemaIdPattern = /^[0-9a-fA-F]{64}$/;

/** The stored schema id a text names (trimmed, lowercased), or undefined when it names none. */
export function asSchemaId(text: string): string | undefined {
  const trimmed = text.trim();
  return schemaIdPattern.test(trimmed) ? trimmed.toLowerCase() : undefined;
}

/**
 * How big a schema may be. Compiling one costs time that grows faster than its size (2,000
 * properties took seconds, 2,500 overflowed the stack), so every schema is measured before it
 * is compiled. OpenAI's structured outputs have limits of the same kind.
 */
export const schemaLimits = {
  /** The schema's compact JSON, in bytes (UTF-8); the concise syntax's text as well. */
  maxBytes: 64 * 1024,
  /** Properties across all its objects (`properties` entries, however deep). */
  maxProperties: 1_000,
  /** Objects and arrays within one another, the root being 1. */
  maxDepth: 32,
  /** Values of each `enum`. */
  maxEnumValues: 1_000,
  /** Distinct schemas in one batch: the batch's and its items'. */
  maxPerBatch: 100,
} as const;

/** A stored schema's id: the sha256 of its compact JSON, keys in their order, as hex. */
export const schemaIdSchema = z
  .string()
  .regex(schemaIdPattern, 'a schema id is 64 hex digits (GET /v1/schemas)')
  .toLowerCase()
  .meta({ description: 'sha256 hex of the schema’s compact JSON (keys in their order).' });

/**
 * How a request gives a schema: a JSON Schema object; or a string, which is a stored schema's
 * id when it is 64 hex digits and llm's concise syntax (`name, age int: years`) otherwise.
 */
export const schemaInputSchema = z
  .union([
    z.record(z.string(), z.unknown()).refine((schema) => Object.keys(schema).length > 0, {
      message: 'a JSON Schema object may not be empty; give at least {"type": "object", …}',
    }),
    z.string().trim().min(1).max(schemaLimits.maxBytes),
  ])
  .meta({
    id: 'SchemaInput',
    description:
      'A JSON Schema object; a stored schema id (64 hex digits, either case); or llm’s concise syntax, e.g. "vendor, date, total float: the amount due".',
  });
export type SchemaInput = z.infer<typeof schemaInputSchema>;

export const schemaMultiSchema = z.boolean().optional().meta({
  description: 'Wrap the schema as {items: [<schema>, …]}: a list of matches (llm --schema-multi).',
});

export const storedSchemaSchema = z
  .object({
    id: schemaIdSchema,
    schema: z.record(z.string(), z.unknown()),
    created_at: z.iso.datetime(),
  })
  .meta({ id: 'StoredSchema' });
export type StoredSchemaBody = z.infer<typeof storedSchemaSchema>;

export const storedSchemaPageSchema = z
  .object({ data: z.array(storedSchemaSchema), next_cursor: z.string().nullable() })
  .meta({ id: 'StoredSchemaPage' });

export const storedSchemaPathSchema = z.object({ id: schemaIdSchema });

export const listStoredSchemasQuerySchema = z.strictObject({
  cursor: schemaIdSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});
