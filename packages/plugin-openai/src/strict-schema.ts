import type { JsonSchema } from '@llmq/core';

type Node = { readonly [key: string]: unknown };

/** Keywords OpenAI's strict mode does not take; a schema using them is sent as a hint only. */
const unsupportedInStrictMode = [
  'oneOf',
  'allOf',
  'not',
  'if',
  'then',
  'else',
  'patternProperties',
  'dependentRequired',
  'dependentSchemas',
] as const;

/**
 * Whether OpenAI can enforce this schema in strict mode as it is: the root is an object, every
 * object forbids other properties (`additionalProperties: false`) and requires every property it
 * lists, in nested properties, array items, `anyOf` branches and `$defs` alike. A schema that
 * is not strict-ready is sent with `strict: false` rather than rewritten, so the user's schema is
 * what the model sees and what the answer is validated against.
 */
export function isStrictSchema(schema: JsonSchema): boolean {
  return isObjectSchema(schema) && isStrictNode(schema);
}

function isStrictNode(node: unknown): boolean {
  if (typeof node === 'boolean') return true;
  if (!isNode(node)) return false;
  if (unsupportedInStrictMode.some((keyword) => keyword in node)) return false;
  if (isObjectSchema(node) && !isClosedObject(node)) return false;
  return childSchemas(node).every(isStrictNode);
}

function isClosedObject(node: Node): boolean {
  if (node.additionalProperties !== false) return false;
  const properties = isNode(node.properties) ? Object.keys(node.properties) : [];
  const required = Array.isArray(node.required) ? new Set(node.required) : new Set();
  return properties.every((property) => required.has(property));
}

function isObjectSchema(node: Node): boolean {
  const { type } = node;
  return (
    type === 'object' || (Array.isArray(type) && type.includes('object')) || 'properties' in node
  );
}

/** The subschemas strict mode applies to as well. */
function childSchemas(node: Node): unknown[] {
  const children: unknown[] = [];
  for (const keyword of ['properties', '$defs', 'definitions'] as const) {
    const map = node[keyword];
    if (isNode(map)) children.push(...Object.values(map));
  }
  if (Array.isArray(node.items)) children.push(...node.items);
  else if (node.items !== undefined) children.push(node.items);
  if (Array.isArray(node.prefixItems)) children.push(...node.prefixItems);
  if (Array.isArray(node.anyOf)) children.push(...node.anyOf);
  return children;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
