import { z } from 'zod';

/** A stored schema's id: the sha256 of its compact JSON, keys in their order, as hex. */
export const schemaIdSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a schema id is 64 lowercase hex digits (GET /v1/schemas)')
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
    z.string().trim().min(1).max(20_000),
  ])
  .meta({
    id: 'SchemaInput',
    description:
      'A JSON Schema object; a stored schema id (64 hex digits); or llm’s concise syntax, e.g. "vendor, date, total float: the amount due".',
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
