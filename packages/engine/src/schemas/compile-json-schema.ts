import type { JsonSchema } from '@llmq/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { InvalidSchemaError } from './schema-errors.ts';

// Draft 2020-12 unless the schema says draft-07: Anthropic documents its tool and output
// schemas as 2020-12, OpenAI's structured outputs take a subset that both drafts read alike
// (`$defs`, which 2020-12 names, is what its examples use), and llm's concise syntax produces
// schemas valid in both. `strict: false` lets vendor keywords through (OpenAI's examples carry
// some) while a schema that breaks the meta-schema (a misspelt type, a bad `required`) still
// fails to compile.
const draft07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

function withFormats<Validator extends Ajv>(ajv: Validator): Validator {
  // A CommonJS module whose function is its `default` export: Node hands the module over.
  formats.default(ajv);
  return ajv;
}

const options = { strict: false, allErrors: false, allowUnionTypes: true } as const;
let latest: Ajv | undefined;
let older: Ajv | undefined;

function ajvFor(schema: JsonSchema): Ajv {
  if (typeof schema.$schema === 'string' && draft07.test(schema.$schema)) {
    older ??= withFormats(new Ajv(options));
    return older;
  }
  latest ??= withFormats(new Ajv2020(options));
  return latest;
}

/**
 * Compile a JSON Schema into a validator, or refuse it with why (the first meta-schema errors,
 * or the compiler's message: an unresolved `$ref`, an unknown format). Compiled validators are
 * kept by ajv only while referenced: callers cache them by schema id.
 */
export function compileJsonSchema(schema: JsonSchema): ValidateFunction {
  const ajv = ajvFor(schema);
  // The schema's own `$id` would register it in the shared instance; validators are cached by
  // content instead, so two schemas with one `$id` and different content cannot collide.
  const { $id: _ignored, ...content } = schema;
  try {
    return ajv.compile(content);
  } catch (error) {
    const reason =
      ajv.errors && ajv.errors.length > 0
        ? describeErrors(ajv.errors)
        : error instanceof Error
          ? error.message
          : String(error);
    throw new InvalidSchemaError(`The JSON Schema does not compile: ${reason}`);
  }
}

/** Ajv's errors as one line: each with where it is (a JSON Pointer) and what is wrong. */
export function describeErrors(errors: readonly ErrorObject[], limit = 3): string {
  const described = errors
    .slice(0, limit)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  const more = errors.length > limit ? ` (and ${errors.length - limit} more)` : '';
  return `${described.join('; ')}${more}`;
}
