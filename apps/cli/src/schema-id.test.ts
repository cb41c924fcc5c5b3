import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { schemaIdOf } from './schema-id.ts';

describe('schemaIdOf', () => {
  it('is the sha256 hex of the canonical JSON, whatever the key order', () => {
    const expected = createHash('sha256')
      .update('{"properties":{"name":{"type":"string"}},"type":"object"}')
      .digest('hex');
    expect(schemaIdOf({ type: 'object', properties: { name: { type: 'string' } } })).toBe(expected);
    expect(schemaIdOf({ properties: { name: { type: 'string' } }, type: 'object' })).toBe(expected);
  });
});
