import type { JsonSchema } from '@llmq/core';
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import { Ajv2020 } from 'ajv/dist/2020.js';
import formats from 'ajv-formats';
import { linearRegExp } from './linear-regexp.ts';
import { InvalidSchemaError } from './schema-errors.ts';
import { checkSchemaShape } from './schema-shape.ts';

// Draft 2020-12 unless the schema says draft-07: Anthropic documents its tool and output
// schemas as 2020-12, OpenAI's structured outputs take a subset that both drafts read alike
// (`$defs`, which 2020-12 names, is what its examples use), and llm's concise syntax produces
// schemas valid in both. `strict: false` lets vendor keywords through (OpenAI's examples carry
// some) while a schema that breaks the meta-schema (a misspelt type, a bad `required`) still
// fails to compile; it would also let an unknown `format` through unchecked, so that is refused
// apart (`refuseUnknownFormats`).
const draft07 = /^https?:\/\/json-schema\.org\/draft-07\/schema#?$/;

/**
 * The warnings ajv gives while compiling one schema. Under `strict: false` ajv only warns of a
 * `format` it does not know and then ignores it, so an answer would never be checked against
 * it; the warning is how llmq learns of it (ajv knows where `format` is a keyword, inside
 * `properties` it is a property's name), to refuse the schema. Compiling is synchronous, so one
 * list serves every compile in turn.
 */
const compileWarnings: string[] = [];

// The logger keeps warnings apart for `compileJsonSchema` rather than writing them (and, for
// some schemas, the code ajv generated) to stderr, outside the service's structured log.
const options = {
  strict: false,
  allErrors: false,
  allowUnionTypes: true,
  logger: {
    log: () => {},
    warn: (...parts: unknown[]) => compileWarnings.push(parts.map(String).join(' ')),
    error: () => {},
  },
  code: { regExp: linearRegExp },
} as const;

/** ajv's warning of a format it does not know: the format and the schema path it is at. */
const unknownFormatWarning = /^unknown format "(.*)" ignored in schema at path "(.*)"$/;

/** An ajv instance and the schemas it holds for good: its meta-schemas. */
interface Compiler {
  readonly ajv: Ajv;
  /** The meta-schemas' ids and keys. */
  readonly permanent: ReadonlySet<string>;
  /** How many schemas ajv's cache holds with only the meta-schemas. */
  readonly permanentCached: number;
}

let latest: Compiler | undefined;
let older: Compiler | undefined;

function compilerFor(schema: JsonSchema): Compiler {
  if (typeof schema.$schema === 'string' && draft07.test(schema.$schema)) {
    older ??= compiler(new Ajv(options));
    return older;
  }
  latest ??= compiler(new Ajv2020(options));
  return latest;
}

function compiler(ajv: Ajv): Compiler {
  // A CommonJS module whose function is its `default` export: Node hands the module over.
  formats.default(ajv);
  return {
    ajv,
    permanent: new Set([...Object.keys(ajv.schemas), ...Object.keys(ajv.refs)]),
    permanentCached: cacheOf(ajv).size,
  };
}

/** ajv's cache of compiled schemas, which it keeps private: where each one used to stay. */
function cacheOf(ajv: Ajv): ReadonlyMap<unknown, unknown> {
  return (ajv as unknown as { readonly _cache: ReadonlyMap<unknown, unknown> })._cache;
}

/**
 * Compile a JSON Schema into a validator, or refuse it with why (its shape past a limit, the
 * first meta-schema errors, a `format` ajv-formats does not define, or the compiler's message:
 * an unresolved `$ref`, a pattern the linear-time engine cannot run). The validator is the
 * caller's to keep (callers cache them by schema id): ajv is made to forget the schema once
 * compiled, or its instance, shared by every schema, would hold each one compiled for good.
 */
export function compileJsonSchema(schema: JsonSchema): ValidateFunction {
  checkSchemaShape(schema);
  const { ajv, permanent } = compilerFor(schema);
  // The root `$id` stays, so a `$ref` naming it absolutely resolves; it may not take a
  // meta-schema's, which forgetting the schema would then remove from the instance.
  const id = typeof schema.$id === 'string' ? schema.$id.replace(/#$/, '') : undefined;
  if (id !== undefined && permanent.has(id)) {
    throw new InvalidSchemaError(
      `The JSON Schema does not compile: its $id ${id} is a meta-schema's`,
    );
  }
  const content = { ...schema };
  compileWarnings.length = 0;
  try {
    const validate = ajv.compile(content);
    refuseUnknownFormats(ajv);
    return validate;
  } catch (error) {
    if (error instanceof InvalidSchemaError) throw error;
    const reason =
      ajv.errors && ajv.errors.length > 0
        ? describeErrors(ajv.errors)
        : error instanceof Error
          ? error.message
          : String(error);
    throw new InvalidSchemaError(`The JSON Schema does not compile: ${reason}`);
  } finally {
    compileWarnings.length = 0;
    forget(ajv, permanent, content);
  }
}

/** Refuse the schema just compiled if ajv warned of a format it does not know. */
function refuseUnknownFormats(ajv: Ajv): void {
  for (const warning of compileWarnings) {
    const unknown = unknownFormatWarning.exec(warning);
    if (!unknown) continue;
    const [, format, path] = unknown;
    throw new InvalidSchemaError(
      `The JSON Schema does not compile: its format "${format}" (at ${path}) is not one llmq can check; the known formats are ${Object.keys(ajv.formats).join(', ')}`,
    );
  }
}

/**
 * Drop what compiling `content` left in ajv: its cache entry (keyed by the object, so a copy
 * compiled each time never hits it anyway) and the ids it and its subschemas registered. The
 * compiled validator keeps what it needs: every `$ref` is resolved while compiling.
 */
function forget(ajv: Ajv, permanent: ReadonlySet<string>, content: JsonSchema): void {
  ajv.removeSchema(content);
  for (const registry of [ajv.schemas, ajv.refs]) {
    for (const key of Object.keys(registry)) {
      if (!permanent.has(key)) delete registry[key];
    }
  }
}

/** How many schemas the shared ajv instances hold beyond their meta-schemas (for tests). */
export function retainedSchemaCount(): number {
  let count = 0;
  for (const each of [latest, older]) {
    if (!each) continue;
    count += cacheOf(each.ajv).size - each.permanentCached;
    for (const registry of [each.ajv.schemas, each.ajv.refs]) {
      count += Object.keys(registry).filter((key) => !each.permanent.has(key)).length;
    }
  }
  return count;
}

/** Ajv's errors as one line: each with where it is (a JSON Pointer) and what is wrong. */
export function describeErrors(errors: readonly ErrorObject[], limit = 3): string {
  const described = errors
    .slice(0, limit)
    .map((error) => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
  const more = errors.length > limit ? ` (and ${errors.length - limit} more)` : '';
  return `${described.join('; ')}${more}`;
}
