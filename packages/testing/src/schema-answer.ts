/** The request fields a schema answer reads. */
interface SchemaRequest {
  readonly messages?: ReadonlyArray<{ readonly role?: string; readonly content?: unknown }>;
  readonly response_format?: { type?: string; json_schema?: { schema?: unknown } };
}

/**
 * The answer to a `json_schema` request: the last user message when it is JSON, else
 * `exampleForSchema(schema)`, as compact JSON.
 */
export function schemaAnswer(request: SchemaRequest): string | undefined {
  const format = request.response_format;
  if (format?.type !== 'json_schema') return undefined;
  const last = request.messages?.filter((message) => message.role === 'user').at(-1)?.content;
  if (typeof last === 'string') {
    try {
      return JSON.stringify(JSON.parse(last));
    } catch {
      // Not JSON: answer from the schema.
    }
  }
  return JSON.stringify(exampleForSchema(format.json_schema?.schema ?? {}));
}

type SchemaNode = { readonly [key: string]: unknown };

/**
 * A value that matches a JSON Schema, built from the schema alone: `const`, else the first of
 * `enum`, `examples` or `anyOf`/`oneOf`; an object has every listed property; an array has
 * `minItems` items (at least one); a string is `"example"` (padded to `minLength`); a number is
 * `minimum` or 0; a boolean is `true`; local `$ref`s (`#/$defs/…`) are followed.
 */
function exampleForSchema(schema: unknown, root: unknown = schema, depth = 0): unknown {
  if (typeof schema !== 'object' || schema === null || depth > 32) return null;
  const node = schema as SchemaNode;
  if (typeof node.$ref === 'string' && node.$ref.startsWith('#/')) {
    const target = node.$ref
      .slice(2)
      .split('/')
      .reduce<unknown>((at, key) => (at as SchemaNode | undefined)?.[key], root);
    return exampleForSchema(target, root, depth + 1);
  }
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum)) return node.enum[0];
  if (Array.isArray(node.examples) && node.examples.length > 0) return node.examples[0];
  const branches = node.anyOf ?? node.oneOf;
  if (Array.isArray(branches)) return exampleForSchema(branches[0], root, depth + 1);
  if (Array.isArray(node.allOf)) {
    return exampleForSchema(Object.assign({}, ...node.allOf), root, depth + 1);
  }
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const type = types.find((each) => each !== 'null') ?? types[0] ?? inferredType(node);
  switch (type) {
    case 'object': {
      const properties = (node.properties ?? {}) as SchemaNode;
      return Object.fromEntries(
        Object.entries(properties).map(([key, value]) => [
          key,
          exampleForSchema(value, root, depth + 1),
        ]),
      );
    }
    case 'array': {
      const count = Math.max(1, typeof node.minItems === 'number' ? node.minItems : 1);
      return Array.from({ length: count }, () => exampleForSchema(node.items, root, depth + 1));
    }
    case 'string': {
      const minLength = typeof node.minLength === 'number' ? node.minLength : 0;
      return 'example'.padEnd(minLength, 'x');
    }
    case 'integer':
    case 'number':
      return typeof node.minimum === 'number' ? node.minimum : 0;
    case 'boolean':
      return true;
    default:
      return null;
  }
}

function inferredType(node: SchemaNode): string | undefined {
  if ('properties' in node) return 'object';
  if ('items' in node) return 'array';
  return undefined;
}
