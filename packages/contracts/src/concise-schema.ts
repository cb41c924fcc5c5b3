/**
 * llm's concise schema syntax ("schema DSL"), e.g. `name, age int: their age, bio`.
 *
 * This re-implements `schema_dsl()` and `multi_schema()` from Python llm's `llm/utils.py`
 * (0.26+) so that a schema written for `llm --schema` means the same here, down to the key
 * order of the produced JSON. The one deliberate difference: llm turns an empty definition
 * into an object schema with no properties, which no model can do anything useful with, so
 * here it is an error.
 */

/** A JSON schema as a plain object; it is passed to models as is, so it stays loosely typed. */
export type JsonSchemaObject = { readonly [key: string]: unknown };

/** A concise schema that cannot be turned into a JSON schema; the message says how to fix it. */
export class ConciseSchemaError extends Error {
  override readonly name = 'ConciseSchemaError';
}

// llm leaves any other type indicator (`integer`, `INT`, `list`...) silently as a string
// rather than failing, and so does this parser, so that a schema accepted by llm is accepted
// here with the same meaning.
const jsonTypes: ReadonlyMap<string, string> = new Map([
  ['int', 'integer'],
  ['float', 'number'],
  ['bool', 'boolean'],
  ['str', 'string'],
]);

// Python's str.strip() and str.split() use Python's idea of whitespace, which differs from
// JavaScript's `\s` (it has \x1c-\x1f and \x85, and lacks \ufeff); using it keeps names and
// descriptions identical to llm's.
const pythonWhitespace =
  '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const surroundingWhitespace = new RegExp(`^[${pythonWhitespace}]+|[${pythonWhitespace}]+$`, 'g');
const whitespaceRun = new RegExp(`[${pythonWhitespace}]+`);

function strip(text: string): string {
  return text.replace(surroundingWhitespace, '');
}

function describeField(field: string): string {
  return JSON.stringify(field);
}

/**
 * Turns a concise schema into a JSON schema for an object whose fields are all required.
 *
 * Fields are separated by newlines if there is any newline (so descriptions may contain
 * commas), else by commas. Each field is `name [type][: description]`, with type one of
 * `str` (the default), `int`, `float` or `bool`. With `multi`, the result is wrapped by
 * {@link multiSchema}, as `llm --schema-multi` does.
 *
 * Key order follows llm's, so `JSON.stringify` of the result equals Python's `json.dumps`,
 * except for field names that are array indices (`0`, `42`): JavaScript always puts those
 * first in an object.
 */
export function parseConciseSchema(
  text: string,
  options: { readonly multi?: boolean } = {},
): JsonSchemaObject {
  const separator = text.includes('\n') ? '\n' : ',';
  const fields = text
    .split(separator)
    .map(strip)
    .filter((field) => field !== '');
  if (fields.length === 0) {
    throw new ConciseSchemaError(
      'The concise schema has no fields: list at least one, e.g. "name, age int: their age"',
    );
  }

  // A Map, like a Python dict, keeps a repeated name in its first place with the last
  // definition, and turns "__proto__" into an ordinary field through Object.fromEntries.
  const properties = new Map<string, Record<string, string>>();
  const required: string[] = [];
  for (const field of fields) {
    const colon = field.indexOf(':');
    const declaration = colon === -1 ? field : field.slice(0, colon);
    const description = colon === -1 ? '' : strip(field.slice(colon + 1));
    const [name, typeIndicator] = strip(declaration).split(whitespaceRun);
    if (!name) {
      throw new ConciseSchemaError(
        `The concise schema field ${describeField(field)} is missing a name before ":": ` +
          'write it as "name: description" or "name type: description"',
      );
    }
    const type = (typeIndicator && jsonTypes.get(typeIndicator)) || 'string';
    properties.set(name, description ? { type, description } : { type });
    // Like llm, a repeated name is listed again.
    required.push(name);
  }

  const schema = { type: 'object', properties: Object.fromEntries(properties), required };
  return options.multi ? multiSchema(schema) : schema;
}

/**
 * Wraps a schema as the `items` array of an object, as `llm --schema-multi` does: many
 * models only accept an object at the top level.
 */
export function multiSchema(schema: JsonSchemaObject): JsonSchemaObject {
  return {
    type: 'object',
    properties: { items: { type: 'array', items: schema } },
    required: ['items'],
  };
}

/**
 * Whether a schema is the wrapper {@link multiSchema} builds, `{items: [<schema>…]}`: each item
 * of an answer's `items` is then one match, which is how its data is listed (one line or row per
 * item, as llm's `logs --data` does). Another schema with an `items` array property is not one.
 */
export function isMultiSchema(schema: unknown): boolean {
  if (!isJsonObject(schema) || schema.type !== 'object' || !isJsonObject(schema.properties)) {
    return false;
  }
  const { items } = schema.properties;
  return (
    Object.keys(schema.properties).length === 1 &&
    isJsonObject(items) &&
    items.type === 'array' &&
    Array.isArray(schema.required) &&
    schema.required.includes('items')
  );
}

function isJsonObject(value: unknown): value is JsonSchemaObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
