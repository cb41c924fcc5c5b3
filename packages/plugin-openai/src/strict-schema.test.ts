import { describe, expect, it } from 'vitest';
import { isStrictSchema } from './strict-schema.ts';

const invoice = {
  type: 'object',
  properties: {
    vendor: { type: 'string' },
    total: { type: 'number' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, price: { type: ['number', 'null'] } },
        required: ['name', 'price'],
        additionalProperties: false,
      },
    },
  },
  required: ['vendor', 'total', 'items'],
  additionalProperties: false,
};

describe('isStrictSchema', () => {
  it('accepts a schema whose every object is closed and requires all its properties', () => {
    expect(isStrictSchema(invoice)).toBe(true);
    expect(isStrictSchema({ type: 'object', properties: {}, additionalProperties: false })).toBe(
      true,
    );
  });

  it('refuses a root object that allows other properties or leaves one optional', () => {
    const { additionalProperties: _open, ...open } = invoice;
    expect(isStrictSchema(open)).toBe(false);
    expect(isStrictSchema({ ...invoice, additionalProperties: true })).toBe(false);
    expect(isStrictSchema({ ...invoice, required: ['vendor', 'total'] })).toBe(false);
  });

  it('looks into nested objects, array items, anyOf branches and $defs', () => {
    const openItem = { type: 'object', properties: { name: { type: 'string' } } };
    const withItems = (items: unknown) => ({
      ...invoice,
      properties: { ...invoice.properties, items: { type: 'array', items } },
    });
    expect(isStrictSchema(withItems(openItem))).toBe(false);
    expect(isStrictSchema(withItems({ anyOf: [{ type: 'string' }, openItem] }))).toBe(false);
    expect(isStrictSchema(withItems({ $ref: '#/$defs/item' }))).toBe(true);
    expect(
      isStrictSchema({ ...withItems({ $ref: '#/$defs/item' }), $defs: { item: openItem } }),
    ).toBe(false);
    expect(
      isStrictSchema({
        ...withItems({ $ref: '#/$defs/item' }),
        $defs: { item: { ...openItem, required: ['name'], additionalProperties: false } },
      }),
    ).toBe(true);
  });

  it('refuses a root that is not an object, and keywords strict mode does not take', () => {
    expect(isStrictSchema({ type: 'array', items: { type: 'string' } })).toBe(false);
    expect(isStrictSchema({ anyOf: [invoice] })).toBe(false);
    expect(isStrictSchema({ ...invoice, allOf: [{ type: 'object' }] })).toBe(false);
    const oneOfField = { ...invoice.properties, total: { oneOf: [{ type: 'number' }] } };
    expect(isStrictSchema({ ...invoice, properties: oneOfField })).toBe(false);
  });

  it('does not change the schema it looks at', () => {
    const before = structuredClone(invoice);
    isStrictSchema(invoice);
    expect(invoice).toEqual(before);
  });
});
