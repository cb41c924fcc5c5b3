import { describe, expect, it } from 'vitest';
import { schemaExample } from './schema-example.ts';

describe('schemaExample', () => {
  it('fills an object of every type, strings named after their property and seeded', () => {
    const schema = {
      type: 'object',
      properties: {
        vendor: { type: 'string' },
        total: { type: 'number', minimum: 1.5 },
        count: { type: 'integer' },
        paid: { type: 'boolean' },
        due: { type: 'string', format: 'date' },
        kind: { type: 'string', enum: ['invoice', 'receipt'] },
        code: { type: 'string', minLength: 12, maxLength: 14 },
        note: { type: ['null', 'string'] },
      },
      required: ['vendor', 'total'],
    };
    expect(schemaExample(schema, 'ab12cd34')).toEqual({
      vendor: 'vendor-ab12cd34',
      total: 1.5,
      count: 0,
      paid: true,
      due: '2024-01-31',
      kind: 'invoice',
      code: 'code-ab12cd34',
      note: 'note-ab12cd34',
    });
    expect(schemaExample(schema)).toMatchObject({ vendor: 'vendor', code: 'codexxxxxxxx' });
  });

  it('gives arrays their minimum number of items, at least one (llm’s multi schemas)', () => {
    const multi = {
      type: 'object',
      properties: {
        items: {
          type: 'array',
          items: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
      required: ['items'],
    };
    expect(schemaExample(multi)).toEqual({ items: [{ name: 'name' }] });
    expect(schemaExample({ type: 'array', items: { type: 'integer' }, minItems: 3 })).toEqual([
      0, 0, 0,
    ]);
  });

  it('follows local $refs, takes the first branch of anyOf and merges allOf', () => {
    const schema = {
      $defs: { money: { type: 'object', properties: { amount: { type: 'number' } } } },
      type: 'object',
      properties: {
        price: { $ref: '#/$defs/money' },
        either: { anyOf: [{ type: 'integer' }, { type: 'string' }] },
        both: { allOf: [{ type: 'object' }, { properties: { a: { const: 1 } } }] },
      },
    };
    expect(schemaExample(schema)).toEqual({ price: { amount: 0 }, either: 0, both: { a: 1 } });
  });

  it('ends a recursive schema instead of looping', () => {
    const schema = {
      type: 'object',
      properties: { child: { $ref: '#' } },
    };
    expect(JSON.stringify(schemaExample(schema))).toContain('null');
  });

  it('caps minItems and minLength, and holds at most 10,000 values', () => {
    const nested = schemaExample({
      type: 'array',
      minItems: 100_000,
      items: { type: 'array', minItems: 100_000 },
    }) as string[][];
    // 100 arrays of 100 and the outer one: one more than the budget, so the last is left out.
    expect(nested).toHaveLength(99);
    expect(nested[0]).toHaveLength(100);
    expect(countValues(nested)).toBe(10_000);
    expect(schemaExample({ type: 'string', minLength: 1_000_000 })).toBe(`value${'x'.repeat(95)}`);
  });

  it('stops a recursive $ref that multiplies at every level within the same budget', () => {
    const properties = Object.fromEntries(
      Array.from({ length: 10 }, (_, index) => [`p${index}`, { $ref: '#/$defs/node' }]),
    );
    const value = schemaExample({
      $defs: { node: { type: 'object', properties } },
      $ref: '#/$defs/node',
    });
    expect(value).toHaveProperty('p0.p0.p0');
    expect(countValues(value)).toBeLessThanOrEqual(10_000);
  });
});

/** Every value in a JSON value, itself included. */
function countValues(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1;
  return 1 + Object.values(value).reduce<number>((sum, child) => sum + countValues(child), 0);
}
