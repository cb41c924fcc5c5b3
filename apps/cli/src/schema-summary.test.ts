import { multiSchema, parseConciseSchema } from '@llmq/contracts';
import { describe, expect, it } from 'vitest';
import { schemaSummary } from './schema-summary.ts';

describe('schemaSummary', () => {
  it('lists an object’s fields in braces', () => {
    expect(schemaSummary(parseConciseSchema('name, age int: in years, bio'))).toBe(
      '{name, age, bio}',
    );
  });

  it('writes nested lists and objects out, as llm schemas list does', () => {
    expect(schemaSummary(multiSchema(parseConciseSchema('vendor, total float')))).toBe(
      '{items: [{vendor, total}]}',
    );
    expect(
      schemaSummary({
        type: 'object',
        properties: { address: { type: 'object', properties: { city: { type: 'string' } } } },
      }),
    ).toBe('{address: {city}}');
    expect(schemaSummary({ type: 'array', items: { type: 'object', properties: {} } })).toBe(
      '[{}]',
    );
  });

  it('gives nothing for what it cannot summarize', () => {
    expect(schemaSummary({ type: 'string' })).toBe('');
    expect(schemaSummary(null)).toBe('');
  });
});

describe('schemaSummary of a stored schema', () => {
  it('lists the fields in the order of required, as jsonb reorders the properties', () => {
    expect(
      schemaSummary({
        type: 'object',
        required: ['name', 'age'],
        properties: { age: { type: 'integer' }, bio: { type: 'string' }, name: { type: 'string' } },
      }),
    ).toBe('{name, age, bio}');
  });
});
