import { schemaLimits } from '@llmq/contracts';
import { InvalidSchemaError } from './schema-errors.ts';

/**
 * Refuse a schema too big to compile in reasonable time, naming the limit it passes
 * (`schemaLimits`): ajv's compile time grows faster than the schema (2,000 properties took
 * seconds, 2,500 overflowed the stack), and it runs on the thread that serves requests and
 * answers. Walked without recursion, so a deeply nested schema is measured, not a crash.
 */
export function checkSchemaShape(schema: Record<string, unknown>): void {
  let properties = 0;
  const pending: Array<{ readonly value: unknown; readonly depth: number }> = [
    { value: schema, depth: 1 },
  ];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (value === null || typeof value !== 'object') continue;
    if (depth > schemaLimits.maxDepth) {
      refuse(`nests objects and arrays more than ${schemaLimits.maxDepth} deep`);
    }
    const children = Array.isArray(value) ? value : Object.values(value);
    if (!Array.isArray(value)) {
      const node = value as Record<string, unknown>;
      if (isPlainObject(node.properties)) properties += Object.keys(node.properties).length;
      if (properties > schemaLimits.maxProperties) {
        refuse(`has more than ${schemaLimits.maxProperties} properties in all`);
      }
      if (Array.isArray(node.enum) && node.enum.length > schemaLimits.maxEnumValues) {
        refuse(
          `has an enum of ${node.enum.length} values; each may have at most ${schemaLimits.maxEnumValues}`,
        );
      }
    }
    for (const child of children) pending.push({ value: child, depth: depth + 1 });
  }
  const bytes = Buffer.byteLength(JSON.stringify(schema));
  if (bytes > schemaLimits.maxBytes) {
    refuse(`is ${bytes} bytes of JSON; at most ${schemaLimits.maxBytes} are accepted`);
  }
}

function refuse(what: string): never {
  throw new InvalidSchemaError(`The schema ${what}: split it or make it simpler`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
