import { describe, expect, it } from 'vitest';
import { jsonSchemaResponseFormat } from './json-schema-response-format.ts';
import { isStrictSchema, strictSchemaFor } from './strict-schema.ts';

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

/** What llm's concise syntax writes for `name, age int`: all required, nothing said of others. */
const concise = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name', 'age'],
};

/** And for the same with `--schema-multi`. */
const conciseMulti = {
  type: 'object',
  properties: { items: { type: 'array', items: concise } },
  required: ['items'],
};

describe('strictSchemaFor', () => {
  it('sends a strict-ready schema as the very object', () => {
    expect(strictSchemaFor(invoice)).toBe(invoice);
  });

  it('closes llm’s concise output in a copy, leaving the schema as it was', () => {
    const before = structuredClone(conciseMulti);
    const closedItem = { ...concise, additionalProperties: false };
    expect(strictSchemaFor(concise)).toEqual(closedItem);
    expect(strictSchemaFor(conciseMulti)).toEqual({
      type: 'object',
      properties: { items: { type: 'array', items: closedItem } },
      required: ['items'],
      additionalProperties: false,
    });
    expect(conciseMulti).toEqual(before);
    expect(concise).not.toHaveProperty('additionalProperties');
  });

  it('closes objects under $defs, anyOf and array items too', () => {
    const schema = {
      type: 'object',
      properties: { list: { type: 'array', items: { $ref: '#/$defs/item' } } },
      required: ['list'],
      $defs: { item: { anyOf: [{ type: 'null' }, concise] } },
    };
    expect(strictSchemaFor(schema)).toMatchObject({
      additionalProperties: false,
      $defs: { item: { anyOf: [{ type: 'null' }, { additionalProperties: false }] } },
    });
  });

  it('gives none when closing would change what matches', () => {
    // An optional property: strict mode would make the model always write it.
    expect(strictSchemaFor({ ...concise, required: ['name'] })).toBeUndefined();
    // Other properties allowed, by the schema's own word.
    expect(strictSchemaFor({ ...concise, additionalProperties: true })).toBeUndefined();
    // An object listing no properties allows any: closing it would allow only {}.
    expect(strictSchemaFor({ type: 'object' })).toBeUndefined();
    expect(strictSchemaFor({ ...concise, allOf: [{ type: 'object' }] })).toBeUndefined();
    expect(strictSchemaFor({ type: 'array', items: concise })).toBeUndefined();
  });
});

describe('jsonSchemaResponseFormat', () => {
  it('asks for llm’s concise output in strict mode, through the closed copy', () => {
    expect(jsonSchemaResponseFormat(concise)).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'output',
        schema: { ...concise, additionalProperties: false },
        strict: true,
      },
    });
    const optional = { ...concise, required: ['name'] };
    expect(jsonSchemaResponseFormat(optional).json_schema).toEqual({
      name: 'output',
      schema: optional,
      strict: false,
    });
  });
});
