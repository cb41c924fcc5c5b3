import { z } from 'zod';
import { type OptionIssue, OptionsError } from './errors.ts';

/** The options schema every model has: a zod object, so unknown keys can be refused. */
export type OptionsSchema = z.ZodObject;

/**
 * Validate raw options against a model's schema. Unknown keys are refused (llm's
 * `extra="forbid"`) with a message naming them; bad values name the field and what it expects.
 */
export function parseOptions<Schema extends OptionsSchema>(
  modelId: string,
  schema: Schema,
  raw: unknown,
): z.output<Schema> {
  const result = strictOf(schema).safeParse(raw ?? {});
  if (result.success) return result.data as z.output<Schema>;
  const known = Object.keys(schema.shape);
  const issues: OptionIssue[] = [];
  const unknown: string[] = [];
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const name = path ? `${path}.${key}` : key;
        unknown.push(name);
        issues.push({
          path: name,
          message: `Unknown option '${name}' for model ${modelId}; ${describeKnown(known)}`,
        });
      }
    } else if (path === '') {
      issues.push({ path, message: `Options for model ${modelId}: ${issue.message}` });
    } else {
      issues.push({ path, message: `Option '${path}': ${issue.message}` });
    }
  }
  // Each issue stands alone (a form shows it beside its field); the message names every unknown
  // option in one sentence so that the accepted list is said once, however many are wrong.
  const valueMessages = issues
    .filter((issue) => !unknown.includes(issue.path))
    .map((issue) => issue.message);
  const unknownMessage =
    unknown.length === 0
      ? []
      : [
          `Unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `'${name}'`).join(', ')} for model ${modelId}; ${describeKnown(known)}`,
        ];
  throw new OptionsError([...unknownMessage, ...valueMessages].join('; '), issues);
}

// `strict()` builds a new schema; a batch parses options 100,000 times.
const strictSchemas = new WeakMap<OptionsSchema, OptionsSchema>();

function strictOf(schema: OptionsSchema): OptionsSchema {
  let strict = strictSchemas.get(schema);
  if (!strict) {
    strict = schema.strict();
    strictSchemas.set(schema, strict);
  }
  return strict;
}

function describeKnown(known: readonly string[]): string {
  return known.length > 0 ? `it accepts: ${known.join(', ')}` : 'it accepts no options';
}

/** The options of a model as JSON Schema, for listings and generated forms. */
export function optionsJsonSchema(schema: OptionsSchema): Record<string, unknown> {
  return z.toJSONSchema(strictOf(schema), { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
