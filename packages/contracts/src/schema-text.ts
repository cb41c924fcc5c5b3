import { asSchemaId } from './stored-schemas.ts';

/** What a schema written as text is: JSON, a stored schema's id, or llm's concise syntax. */
export type SchemaText =
  | { readonly kind: 'json'; readonly schema: { readonly [key: string]: unknown } }
  | { readonly kind: 'id'; readonly id: string }
  | { readonly kind: 'concise'; readonly text: string };

/** Text that starts as JSON but is not a JSON Schema object; the message says what to give. */
export class SchemaTextError extends Error {
  override readonly name = 'SchemaTextError';
}

/**
 * Read a schema written as text (a form field, a CLI flag, the console's box), as llm reads
 * `--schema`: text starting with `{` is JSON (neither an id nor the concise syntax can start
 * so), 64 hex digits are a stored schema's id, anything else is the concise syntax (parsed by
 * whoever needs its JSON: the server resolves it). Empty text is the caller's to refuse.
 */
export function readSchemaText(text: string): SchemaText {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return { kind: 'json', schema: parseSchemaJson(trimmed) };
  const id = asSchemaId(trimmed);
  return id ? { kind: 'id', id } : { kind: 'concise', text: trimmed };
}

function parseSchemaJson(text: string): { readonly [key: string]: unknown } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new SchemaTextError(
      `The schema is not valid JSON: ${(error as Error).message}. Give a JSON Schema object, a stored schema id, or the concise syntax such as "name, age int"`,
    );
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new SchemaTextError('A JSON schema must be an object, like {"type": "object", …}.');
  }
  if (Object.keys(parsed).length === 0) {
    throw new SchemaTextError('The JSON schema is empty: give at least {"type": "object", …}.');
  }
  return parsed as { readonly [key: string]: unknown };
}
