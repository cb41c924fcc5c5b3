import { describe, expect, it } from 'vitest';
import { schemaFieldValue } from './schema-field-value.ts';

describe('schemaFieldValue', () => {
  it('gives no schema for an empty field', () => {
    expect(schemaFieldValue('  \n', false)).toEqual({ ok: true, value: undefined });
  });

  it('parses JSON, and sends concise syntax and stored ids as they are', () => {
    expect(schemaFieldValue('{"type": "object", "properties": {}}', false)).toEqual({
      ok: true,
      value: { schema: { type: 'object', properties: {} } },
    });
    expect(schemaFieldValue(' vendor, total float: the amount due ', true)).toEqual({
      ok: true,
      value: { schema: 'vendor, total float: the amount due', schema_multi: true },
    });
    expect(schemaFieldValue('AB'.repeat(32), false)).toEqual({
      ok: true,
      value: { schema: 'ab'.repeat(32) },
    });
  });

  it('says what is wrong with bad JSON, a JSON value that is not a schema, or multi alone', () => {
    const bad = schemaFieldValue('{"type": ', false);
    expect(bad.ok).toBe(false);
    expect(bad.ok ? '' : bad.message).toMatch(/^The schema is not valid JSON: /);
    expect(schemaFieldValue('{}', false)).toEqual({
      ok: false,
      message: 'The JSON schema is empty: give at least {"type": "object", …}.',
    });
    expect(schemaFieldValue('', true)).toEqual({
      ok: false,
      message: 'Give the schema the list is made of, or untick “Many”.',
    });
  });
});
