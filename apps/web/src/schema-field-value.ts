import { readSchemaText, type SchemaText, SchemaTextError } from '@llmq/contracts';

/** The request fields a schema field gives (the same on POST /v1/prompts and /v1/batches). */
export interface SchemaFields {
  readonly schema: Record<string, unknown> | string;
  readonly schema_multi?: true;
}

export type SchemaFieldResult =
  | { readonly ok: true; readonly value: SchemaFields | undefined }
  | { readonly ok: false; readonly message: string };

/**
 * What the schema field holds: nothing; JSON (text starting with `{`, parsed here so that a
 * typo is shown at once); or a string the server resolves as it is, a stored schema's id (64
 * hex digits) or llm's concise syntax such as `name, age int: in years`. The concise syntax is
 * not parsed here: the server names what is wrong with it, and the console stays small.
 */
export function schemaFieldValue(text: string, multi: boolean): SchemaFieldResult {
  if (text.trim() === '') {
    return multi
      ? { ok: false, message: 'Give the schema the list is made of, or untick “Many”.' }
      : { ok: true, value: undefined };
  }
  let read: SchemaText;
  try {
    read = readSchemaText(text);
  } catch (error) {
    if (error instanceof SchemaTextError) return { ok: false, message: error.message };
    throw error;
  }
  const schema =
    read.kind === 'json'
      ? (read.schema as Record<string, unknown>)
      : read.kind === 'id'
        ? read.id
        : read.text;
  return { ok: true, value: multi ? { schema, schema_multi: true } : { schema } };
}
