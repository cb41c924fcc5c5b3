import { schemaLimits } from '@llmq/contracts';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { compileJsonSchema, retainedSchemaCount } from './compile-json-schema.ts';
import { InvalidSchemaError } from './schema-errors.ts';

function refusal(schema: Record<string, unknown>): InvalidSchemaError {
  try {
    compileJsonSchema(schema);
  } catch (error) {
    if (error instanceof InvalidSchemaError) return error;
    throw error;
  }
  throw new Error('the schema compiled');
}

/** An object with `count` required string properties, as the concise syntax writes them. */
function withProperties(count: number): Record<string, unknown> {
  const names = Array.from({ length: count }, (_, index) => `field${index}`);
  return {
    type: 'object',
    properties: Object.fromEntries(names.map((name) => [name, { type: 'string' }])),
    required: names,
  };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('compileJsonSchema patterns', () => {
  it('checks a pattern that backtracks catastrophically, on a linear-time engine', () => {
    const validate = compileJsonSchema({ type: 'string', pattern: '^(a+)+$' });
    expect(validate(`${'a'.repeat(40)}!`)).toBe(false);
    expect(validate('aaaa')).toBe(true);
  });

  it('keeps each pattern of a schema apart, patternProperties included', () => {
    const validate = compileJsonSchema({
      type: 'object',
      properties: {
        a: { type: 'string', pattern: '^a$' },
        b: { type: 'string', pattern: '^b$' },
      },
      patternProperties: { '^x': { type: 'number' } },
    });
    expect(validate({ a: 'a', b: 'b', x1: 1 })).toBe(true);
    expect(validate({ a: 'a', b: 'a' })).toBe(false);
    expect(validate({ x1: 'one' })).toBe(false);
    // Unanchored, as JSON Schema's patterns are.
    expect(compileJsonSchema({ type: 'string', pattern: 'b+' })('abba')).toBe(true);
  });

  it('refuses a pattern the linear-time engine cannot run, naming it', () => {
    expect(refusal({ type: 'string', pattern: '(a)\\1' }).message).toContain('"(a)\\\\1"');
    expect(refusal({ type: 'string', pattern: 'a(?=b)' }).message).toMatch(/not supported/);
  });
});

describe('compileJsonSchema and ajv’s cache', () => {
  it('leaves nothing of the schemas it compiled in ajv, validators still usable', () => {
    const recursive = {
      $defs: { node: { type: 'array', items: { $ref: '#/$defs/node' } } },
      $ref: '#/$defs/node',
    };
    const same = Array.from({ length: 50 }, () => compileJsonSchema(recursive));
    const different = Array.from({ length: 200 }, (_, index) =>
      compileJsonSchema({
        $id: `https://example.com/schema/${index}`,
        type: 'object',
        properties: {
          value: { const: index },
          inner: { $id: `https://example.com/inner/${index}`, type: 'string' },
        },
      }),
    );
    compileJsonSchema({ $schema: 'http://json-schema.org/draft-07/schema#', type: 'string' });
    expect(retainedSchemaCount()).toBe(0);
    expect(same.at(-1)?.([[], [[]]])).toBe(true);
    expect(same.at(-1)?.([1])).toBe(false);
    expect(different[7]?.({ value: 7, inner: 'text' })).toBe(true);
    expect(different[7]?.({ value: 8 })).toBe(false);
  });

  it('forgets a schema it refused as well', () => {
    refusal({ $id: 'https://example.com/broken', type: 'strnig' });
    expect(retainedSchemaCount()).toBe(0);
  });

  it('keeps the root $id, so a schema may $ref itself by it', () => {
    const schema = {
      $id: 'https://ex.com/root',
      $defs: { x: { type: 'string' } },
      type: 'object',
      properties: { p: { $ref: 'https://ex.com/root#/$defs/x' } },
    };
    const validate = compileJsonSchema(schema);
    expect(validate({ p: 'text' })).toBe(true);
    expect(validate({ p: 1 })).toBe(false);
    // The same $id with other content compiles on its own terms.
    const other = compileJsonSchema({ ...schema, $defs: { x: { type: 'number' } } });
    expect(other({ p: 1 })).toBe(true);
    expect(validate({ p: 1 })).toBe(false);
  });

  it('refuses a root $id that is a meta-schema’s', () => {
    expect(
      refusal({ $id: 'https://json-schema.org/draft/2020-12/schema', type: 'string' }).message,
    ).toMatch(/meta-schema/);
    expect(compileJsonSchema({ type: 'string' })('still works')).toBe(true);
  });
});

describe('compileJsonSchema limits', () => {
  it('compiles the most properties allowed and refuses one more, naming the limit', () => {
    expect(() => compileJsonSchema(withProperties(schemaLimits.maxProperties))).not.toThrow();
    expect(refusal(withProperties(schemaLimits.maxProperties + 1)).message).toBe(
      'The schema has more than 1000 properties in all: split it or make it simpler',
    );
    // Thousands of properties overflowed ajv's stack: now a clear refusal.
    expect(refusal(withProperties(3_000)).message).toMatch(/more than 1000 properties/);
  });

  it('refuses nesting past the limit, however deep', () => {
    let deep: Record<string, unknown> = { type: 'string' };
    for (let level = 0; level < 100_000; level += 1) deep = { type: 'array', items: deep };
    expect(refusal(deep).message).toMatch(/more than 32 deep/);
  });

  it('refuses an enum with too many values and JSON past its size', () => {
    const values = Array.from({ length: schemaLimits.maxEnumValues + 1 }, (_, index) => index);
    expect(refusal({ enum: values }).message).toMatch(
      /enum of 1001 values; each may have at most 1000/,
    );
    const long = { type: 'string', description: 'x'.repeat(schemaLimits.maxBytes) };
    expect(refusal(long).message).toMatch(/bytes of JSON; at most 65536 are accepted/);
  });

  it('writes nothing to the console (ajv’s warnings are kept, not logged)', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const error = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(() => compileJsonSchema({ type: 'string', format: 'not-a-known-format' })).toThrow(
      InvalidSchemaError,
    );
    expect(warn).not.toHaveBeenCalled();
    expect(log).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
  });
});

describe('compileJsonSchema formats', () => {
  it('refuses a format ajv-formats does not define, naming it and where it is', () => {
    const schema = {
      type: 'object',
      properties: { when: { type: 'string', format: 'datetime' } },
      required: ['when'],
    };
    const message = refusal(schema).message;
    expect(message).toMatch(/format "datetime" \(at #\/properties\/when\)/);
    // The known formats are listed, so the likely meant one is there to read.
    expect(message).toMatch(/date-time/);
    expect(retainedSchemaCount()).toBe(0);
  });

  it('refuses an unknown format in a nested or referenced subschema as well', () => {
    const schema = {
      $defs: { stamp: { type: 'string', format: 'unix-time' } },
      type: 'array',
      items: { $ref: '#/$defs/stamp' },
    };
    expect(refusal(schema).message).toMatch(/format "unix-time"/);
  });

  it('checks the formats it knows, and takes a property named format', () => {
    const validate = compileJsonSchema({
      type: 'object',
      properties: {
        email: { type: 'string', format: 'email' },
        format: { type: 'string' },
      },
    });
    expect(validate({ email: 'a@example.com', format: 'anything' })).toBe(true);
    expect(validate({ email: 'not an address' })).toBe(false);
  });

  it('refuses an unknown format under draft-07 too', () => {
    const schema = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'string',
      format: 'postcode',
    };
    expect(refusal(schema).message).toMatch(/format "postcode"/);
  });
});
