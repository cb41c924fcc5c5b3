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

/** What OpenAI's strict mode asks of a schema, for the messages that refuse one. */
export const strictModeRequirements = `strict mode needs an object at the root, every property of every object required, no object open to other properties (additionalProperties: false, which llmq adds where the schema says nothing) and none of ${unsupportedInStrictMode.join(', ')}`;

/**
 * Whether OpenAI can enforce this schema in strict mode as it is: the root is an object, every
 * object forbids other properties (`additionalProperties: false`) and requires every property it
 * lists, in nested properties, array items, `anyOf` branches and `$defs` alike.
 */
export function isStrictSchema(schema: JsonSchema): boolean {
  return isObjectSchema(schema) && isStrictNode(schema);
}

/**
 * The schema to send in strict mode, or undefined when strict mode cannot enforce it: the schema
 * itself when it is strict-ready; else a copy in which every object that requires all the
 * properties it lists and says nothing of others gets `additionalProperties: false` (llm's
 * concise syntax writes such objects). Answers to the copy match the schema as it was, so the
 * stored schema, which the engine validates against, is never changed. An optional property,
 * other properties allowed or a keyword strict mode does not take leave it undefined: the schema
 * then goes with `strict: false`, as the user wrote it.
 */
export function strictSchemaFor(schema: JsonSchema): JsonSchema | undefined {
  if (isStrictSchema(schema)) return schema;
  const copy = structuredClone(schema) as Record<string, unknown>;
  closeObjects(copy);
  return isStrictSchema(copy) ? copy : undefined;
}

/** Close, in place, each object of a copied schema whose listed properties are all required. */
function closeObjects(node: unknown): void {
  if (!isNode(node)) return;
  const properties = isNode(node.properties) ? Object.keys(node.properties) : [];
  const required = Array.isArray(node.required) ? new Set(node.required) : new Set();
  if (
    isObjectSchema(node) &&
    node.additionalProperties === undefined &&
    // An object listing no properties allows any: closing it would allow only `{}`.
    properties.length > 0 &&
    properties.every((property) => required.has(property))
  ) {
    (node as Record<string, unknown>).additionalProperties = false;
  }
  for (const child of childSchemas(node)) closeObjects(child);
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
