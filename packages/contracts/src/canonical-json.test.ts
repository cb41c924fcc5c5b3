import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops layout', () => {
    const left = { type: 'object', properties: { b: { type: 'string' }, a: { type: 'integer' } } };
    const right = { properties: { a: { type: 'integer' }, b: { type: 'string' } }, type: 'object' };
    expect(canonicalJson(left)).toBe(canonicalJson(right));
    expect(canonicalJson(left)).toBe(
      '{"properties":{"a":{"type":"integer"},"b":{"type":"string"}},"type":"object"}',
    );
  });

  it('keeps array order, and the text parses back to an equal value', () => {
    const value = { required: ['z', 'a'], enum: [3, 1.5, null, true, 'é"'] };
    expect(canonicalJson(value)).toBe('{"enum":[3,1.5,null,true,"é\\""],"required":["z","a"]}');
    expect(JSON.parse(canonicalJson(value))).toEqual(value);
  });
});
