import { describe, expect, it } from 'vitest';
import {
  asSchemaId,
  schemaIdSchema,
  schemaInputSchema,
  schemaLimits,
  storedSchemaPathSchema,
} from './stored-schemas.ts';

const id = 'ab'.repeat(32);

describe('stored schema ids', () => {
  it('are read in either case and given lowercase', () => {
    expect(schemaIdSchema.parse(id.toUpperCase())).toBe(id);
    expect(storedSchemaPathSchema.parse({ id: `Ab${id.slice(2)}` })).toEqual({ id });
    expect(schemaIdSchema.safeParse('g'.repeat(64)).success).toBe(false);
  });

  it('are told apart from the concise syntax by asSchemaId', () => {
    expect(asSchemaId(` ${id.toUpperCase()}\n`)).toBe(id);
    expect(asSchemaId('name, age int')).toBeUndefined();
    expect(asSchemaId(id.slice(1))).toBeUndefined();
  });
});

describe('the concise syntax’s length', () => {
  it('is bounded as a schema’s JSON is', () => {
    expect(schemaInputSchema.safeParse('a'.repeat(schemaLimits.maxBytes)).success).toBe(true);
    expect(schemaInputSchema.safeParse('a'.repeat(schemaLimits.maxBytes + 1)).success).toBe(false);
  });
});
