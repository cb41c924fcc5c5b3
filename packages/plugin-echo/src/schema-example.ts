import type { JsonSchema } from '@llmq/core';

type Node = { readonly [key: string]: unknown };

/** How deep a schema is followed (a recursive `$ref` ends as null there). */
const maxDepth = 16;

const formatExamples: Readonly<Record<string, string>> = {
  date: '2024-01-31',
  'date-time': '2024-01-31T12:00:00Z',
  time: '12:00:00Z',
  email: 'echo@example.com',
  uri: 'https://example.com/echo',
  uuid: '00000000-0000-4000-8000-000000000000',
};

/** The most array elements, and string characters, any `minItems` or `minLength` gets. */
const maxRepeat = 100;

/** The most values one example holds (see `schemaExample` for what comes past them). */
const maxValues = 10_000;

/**
 * A JSON value that satisfies a schema, the same for the same schema and seed: the first `enum`
 * value or the `const`; objects with every property (required or not); arrays with `minItems`
 * elements (at least one); strings are the property's name and `-<seed>` (padded to
 * `minLength`, cut at `maxLength`) or an example of their `format`; numbers their minimum or 0;
 * booleans true. `anyOf`/`oneOf` take their first branch, `allOf` its parts merged, and local
 * `$ref`s (`#/$defs/…`, `#/definitions/…`) are followed.
 *
 * Bounded, since echo builds it for whatever schema a request brings: `minItems` and `minLength`
 * count up to 100 (an array of 100,000 arrays of 100,000 would exhaust memory), and an example
 * holds at most 10,000 values (nesting and recursive `$ref`s multiply them): once they are
 * spent, objects leave out their remaining properties, arrays their remaining elements, and a
 * value begun with none left is the minimal one of its type (`{}`, `[]`, `""`, its lowest
 * number, true or null). Past those bounds the example may not match the schema, as echo's
 * answer then shows.
 */
export function schemaExample(schema: JsonSchema, seed = ''): unknown {
  return example({ root: schema, seed, remaining: maxValues }, schema, 'value', 0);
}

/** What one example is built with: its schema's root, its seed and the values left to it. */
interface Build {
  readonly root: Node;
  readonly seed: string;
  remaining: number;
}

function example(build: Build, node: Node, name: string, depth: number): unknown {
  if (depth > maxDepth) return null;
  if (build.remaining <= 0) return minimalValue(node);
  build.remaining -= 1;
  const next = (child: unknown, childName = name) =>
    example(build, asNode(child), childName, depth + 1);
  if (typeof node.$ref === 'string') return next(resolveRef(build.root, node.$ref));
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  for (const key of ['anyOf', 'oneOf'] as const) {
    const branches = node[key];
    if (Array.isArray(branches) && branches.length > 0) return next(branches[0]);
  }
  if (Array.isArray(node.allOf)) return next(Object.assign({}, ...node.allOf.map(asNode)));
  switch (typeOf(node)) {
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, child] of Object.entries(asNode(node.properties))) {
        if (build.remaining <= 0) break;
        value[key] = next(child, key);
      }
      return value;
    }
    case 'array': {
      const count = Math.min(Math.max(numberOr(node.minItems, 1), 1), maxRepeat);
      const value: unknown[] = [];
      while (value.length < count && build.remaining > 0) value.push(next(node.items ?? {}));
      return value;
    }
    case 'integer':
      return Math.ceil(lowest(node));
    case 'number':
      return lowest(node);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return stringExample(node, name, build.seed);
  }
}

/** The smallest value of the node's type, built without looking further into the schema. */
function minimalValue(node: Node): unknown {
  if ('const' in node) return node.const;
  if (Array.isArray(node.enum) && node.enum.length > 0) return node.enum[0];
  switch (typeOf(node)) {
    case 'object':
      return {};
    case 'array':
      return [];
    case 'integer':
      return Math.ceil(lowest(node));
    case 'number':
      return lowest(node);
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return '';
  }
}

function stringExample(node: Node, name: string, seed: string): string {
  const format = typeof node.format === 'string' ? formatExamples[node.format] : undefined;
  if (format) return format;
  let text = seed ? `${name}-${seed}` : name;
  const minimum = Math.min(numberOr(node.minLength, 0), maxRepeat);
  if (text.length < minimum) text = text.padEnd(minimum, 'x');
  const maximum = numberOr(node.maxLength, Number.POSITIVE_INFINITY);
  return text.slice(0, maximum);
}

/** The first type the schema allows, preferring anything over null; inferred when absent. */
function typeOf(node: Node): string {
  const types = Array.isArray(node.type) ? node.type : [node.type];
  const named = types.filter((type): type is string => typeof type === 'string');
  const chosen = named.find((type) => type !== 'null') ?? named[0];
  if (chosen) return chosen;
  if (node.properties) return 'object';
  if (node.items) return 'array';
  return 'string';
}

function lowest(node: Node): number {
  if (typeof node.minimum === 'number') return node.minimum;
  if (typeof node.exclusiveMinimum === 'number') return node.exclusiveMinimum + 1;
  if (typeof node.maximum === 'number' && node.maximum < 0) return node.maximum;
  return 0;
}

function resolveRef(root: Node, ref: string): unknown {
  if (!ref.startsWith('#')) return {};
  let current: unknown = root;
  for (const part of ref.slice(1).split('/').filter(Boolean)) {
    const key = decodeURIComponent(part).replaceAll('~1', '/').replaceAll('~0', '~');
    current = asNode(current)[key];
  }
  return current ?? {};
}

function asNode(value: unknown): Node {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Node)
    : {};
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}
