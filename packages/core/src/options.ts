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
  for (const issue of result.error.issues) {
    const path = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      for (const key of issue.keys) {
        const prefix = path ? `${path}.` : '';
        issues.push({
          path: `${prefix}${key}`,
          message: `Unknown option '${prefix}${key}' for model ${modelId}; ${describeKnown(known)}`,
        });
      }
    } else if (path === '') {
      issues.push({ path, message: `Options for model ${modelId}: ${issue.message}` });
    } else {
      issues.push({ path, message: `Option '${path}': ${issue.message}` });
    }
  }
  return raiseOptionsError(issues);
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

function raiseOptionsError(issues: readonly OptionIssue[]): never {
  throw new OptionsError(issues.map((issue) => issue.message).join('; '), issues);
}

/** The options of a model as JSON Schema, for listings and generated forms. */
export function optionsJsonSchema(schema: OptionsSchema): Record<string, unknown> {
  return z.toJSONSchema(strictOf(schema), { io: 'input', unrepresentable: 'any' }) as Record<
    string,
    unknown
  >;
}
