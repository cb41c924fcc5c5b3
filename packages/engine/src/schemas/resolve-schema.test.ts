import { schemaIdOf } from '@llmq/contracts/schema-id';
import type { DatabaseExecutor } from '@llmq/db';
import { describe, expect, it } from 'vitest';
import { compileJsonSchema } from './compile-json-schema.ts';
import { resolveSchema } from './resolve-schema.ts';
import { InvalidSchemaError } from './schema-errors.ts';

// Only a stored schema's id reads the database; every other form must not touch it.
const noDatabase = {} as DatabaseExecutor;

describe('resolveSchema', () => {
  it('takes a JSON Schema object as it is, with the id of its JSON', async () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    const resolved = await resolveSchema(noDatabase, schema);
    expect(resolved.content).toEqual(schema);
    expect(resolved.id).toBe(schemaIdOf(schema));
    expect(resolved.id).toMatch(/^[0-9a-f]{64}$/);
  });

  it('turns the concise syntax into llm’s JSON Schema, and wraps it for multi', async () => {
    const single = await resolveSchema(noDatabase, 'vendor, total float: the amount due');
    expect(single.content).toEqual({
      type: 'object',
      properties: {
        vendor: { type: 'string' },
        total: { type: 'number', description: 'the amount due' },
      },
      required: ['vendor', 'total'],
    });
    const multi = await resolveSchema(noDatabase, 'vendor', { multi: true });
    expect(multi.content).toEqual({
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: {
            type: 'object',
            properties: { vendor: { type: 'string' } },
            required: ['vendor'],
          },
        },
      },
      required: ['items'],
    });
  });

  it('refuses a concise schema that does not parse, with its message', async () => {
    await expect(resolveSchema(noDatabase, ': no name')).rejects.toThrow(InvalidSchemaError);
    await expect(resolveSchema(noDatabase, ': no name')).rejects.toThrow(/missing a name/);
  });

  it('refuses a JSON Schema that does not compile, saying where', async () => {
    const error = await resolveSchema(noDatabase, { type: 'strin' }).catch((caught) => caught);
    expect(error).toBeInstanceOf(InvalidSchemaError);
    expect(error.message).toMatch(/does not compile: .*type/);
    await expect(resolveSchema(noDatabase, { type: 'object', required: 'name' })).rejects.toThrow(
      InvalidSchemaError,
    );
    await expect(resolveSchema(noDatabase, { $ref: '#/$defs/missing' })).rejects.toThrow(
      /does not compile/,
    );
  });

  it('refuses NUL anywhere in the schema', async () => {
    await expect(
      resolveSchema(noDatabase, { type: 'object', description: 'a\u0000b' }),
    ).rejects.toThrow(/NUL/);
  });
});

describe('compileJsonSchema', () => {
  it('reads draft 2020-12 by default and draft-07 when the schema says so', () => {
    const latest = compileJsonSchema({
      type: 'array',
      prefixItems: [{ type: 'integer' }],
      items: false,
    });
    expect(latest([1])).toBe(true);
    expect(latest([1, 2])).toBe(false);
    const older = compileJsonSchema({
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      definitions: { id: { type: 'integer' } },
      properties: { id: { $ref: '#/definitions/id' } },
    });
    expect(older({ id: 1 })).toBe(true);
    expect(older({ id: 'x' })).toBe(false);
  });

  it('checks formats', () => {
    const validate = compileJsonSchema({ type: 'string', format: 'date' });
    expect(validate('2025-01-31')).toBe(true);
    expect(validate('31/01/2025')).toBe(false);
  });
});
