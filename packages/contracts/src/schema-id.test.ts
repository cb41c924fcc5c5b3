import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { parseConciseSchema } from './concise-schema.ts';
import { schemaIdOf } from './schema-id.ts';

describe('schemaIdOf', () => {
  it('is the sha256 hex of the compact JSON, keys in their order', () => {
    const schema = { type: 'object', properties: { name: { type: 'string' } } };
    const expected = createHash('sha256')
      .update('{"type":"object","properties":{"name":{"type":"string"}}}')
      .digest('hex');
    expect(schemaIdOf(schema)).toBe(expected);
  });

  it('tells apart schemas whose properties come in another order (models answer in it)', () => {
    expect(schemaIdOf(parseConciseSchema('vendor, total float'))).not.toBe(
      schemaIdOf(parseConciseSchema('total float, vendor')),
    );
  });
});
