import { describe, expect, it } from 'vitest';
import { readSchemaText, SchemaTextError } from './schema-text.ts';

const id = 'AB'.repeat(32);

describe('readSchemaText', () => {
  it('reads JSON, a stored id in either case, and the concise syntax', () => {
    expect(readSchemaText(' {"type":"object"} ')).toEqual({
      kind: 'json',
      schema: { type: 'object' },
    });
    expect(readSchemaText(id)).toEqual({ kind: 'id', id: id.toLowerCase() });
    expect(readSchemaText('name, age int: in years')).toEqual({
      kind: 'concise',
      text: 'name, age int: in years',
    });
  });

  it.each([
    ['{"type":', /not valid JSON/],
    ['{}', /empty/],
  ])('refuses %s, saying what to give', (text, message) => {
    expect(() => readSchemaText(text)).toThrow(SchemaTextError);
    expect(() => readSchemaText(text)).toThrow(message);
  });
});
