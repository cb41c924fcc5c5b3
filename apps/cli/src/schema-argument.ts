import { readFile, stat } from 'node:fs/promises';
import {
  ConciseSchemaError,
  type JsonSchemaObject,
  parseConciseSchema,
  type SchemaInput,
} from '@llmq/contracts';
import { z } from 'zod';

/** What a `--schema` value turned out to be, decided as llm decides it. */
export type SchemaArgument =
  | { readonly kind: 'json'; readonly schema: JsonSchemaObject }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'concise'; readonly text: string };

const storedSchemaId = /^[0-9a-f]{64}$/i;

const jsonSchemaObject = z
  .record(z.string(), z.unknown())
  .refine((schema) => Object.keys(schema).length > 0, 'it is an empty object');

/**
 * A `--schema` value: the path of an existing file (its JSON), JSON text (starting with `{`),
 * a stored schema's id (64 hex digits) or llm's concise syntax. Concise text is checked here so
 * that a mistake is named before anything is sent; the server still does the conversion.
 */
export async function readSchemaArgument(
  value: string,
  option = '--schema',
): Promise<SchemaArgument> {
  const text = value.trim();
  if (text === '') {
    throw new Error(
      `${option} is empty: give JSON, a .json file, a schema id or fields like "name, age int"`,
    );
  }
  if (await isFile(text)) {
    return {
      kind: 'json',
      schema: parseJsonSchema(await readFile(text, 'utf8'), `${option} file ${text}`),
    };
  }
  if (text.startsWith('{')) return { kind: 'json', schema: parseJsonSchema(text, option) };
  if (storedSchemaId.test(text)) return { kind: 'id', id: text.toLowerCase() };
  if (/\.json$/i.test(text)) throw new Error(`${option}: there is no file ${text}`);
  try {
    parseConciseSchema(text);
  } catch (error) {
    if (error instanceof ConciseSchemaError) throw new Error(`${option}: ${error.message}`);
    throw error;
  }
  return { kind: 'concise', text };
}

/** The request fields for a schema: concise text and ids go as they are, the server resolves them. */
export function schemaRequestFields(
  argument: SchemaArgument,
  multi: boolean | undefined,
): { schema: SchemaInput; schema_multi?: true } {
  const schema =
    argument.kind === 'json'
      ? argument.schema
      : argument.kind === 'id'
        ? argument.id
        : argument.text;
  return multi ? { schema, schema_multi: true } : { schema };
}

function parseJsonSchema(text: string, source: string): JsonSchemaObject {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source} is not valid JSON: ${(error as Error).message}`);
  }
  const result = jsonSchemaObject.safeParse(parsed);
  if (!result.success) {
    throw new Error(
      `${source} is not a JSON Schema object (${result.error.issues[0]?.message ?? 'not an object'}): give one like {"type": "object", "properties": {…}}`,
    );
  }
  return result.data;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
