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
  const trimmed = text.trim();
  if (trimmed === '') {
    return multi
      ? { ok: false, message: 'Give the schema the list is made of, or untick “Many”.' }
      : { ok: true, value: undefined };
  }
  let schema: Record<string, unknown> | string = /^[0-9a-f]{64}$/i.test(trimmed)
    ? trimmed.toLowerCase()
    : trimmed;
  if (trimmed.startsWith('{')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch (error) {
      return { ok: false, message: `The schema is not valid JSON: ${(error as Error).message}` };
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
      return { ok: false, message: 'A JSON schema must be an object, like {"type": "object"}.' };
    }
    if (Object.keys(parsed).length === 0) {
      return {
        ok: false,
        message: 'The JSON schema is empty: give at least {"type": "object", …}.',
      };
    }
    schema = parsed as Record<string, unknown>;
  }
  return { ok: true, value: multi ? { schema, schema_multi: true } : { schema } };
}
