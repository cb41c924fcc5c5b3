import { readFile, stat } from 'node:fs/promises';
import {
  ConciseSchemaError,
  type JsonSchemaObject,
  parseConciseSchema,
  readSchemaText,
  type SchemaInput,
  SchemaTextError,
} from '@llmq/contracts';

/** What a `--schema` value turned out to be, decided as llm decides it. */
export type SchemaArgument =
  | { readonly kind: 'json'; readonly schema: JsonSchemaObject }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'concise'; readonly text: string };

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
    return readJsonSchema(await readFile(text, 'utf8'), `${option} file ${text}`);
  }
  if (text.startsWith('{')) return readJsonSchema(text, option);
  const read = readSchemaText(text);
  if (read.kind === 'id') return read;
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

/** JSON text (a file's, or a flag's starting with `{`) as a schema; a file holds nothing else. */
function readJsonSchema(text: string, source: string): SchemaArgument {
  try {
    const read = readSchemaText(text);
    if (read.kind === 'json') return read;
  } catch (error) {
    if (error instanceof SchemaTextError) throw new Error(`${source}: ${error.message}`);
    throw error;
  }
  throw new Error(`${source} is not a JSON Schema object: give one like {"type": "object", …}`);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}
