import { describe, expect, it } from 'vitest';
import { optionFields, optionValue } from './option-fields.ts';

// As GET /v1/models gives the echo and OpenAI models' options.
const schema = {
  type: 'object',
  properties: {
    delay_ms: { description: 'Milliseconds to wait.', type: 'integer', minimum: 0, maximum: 60000 },
    temperature: { type: 'number', minimum: 0, maximum: 2 },
    fail: { type: 'string', enum: ['retryable', 'fatal'] },
    json_object: { type: 'boolean' },
    stop: { anyOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    name: { type: 'string' },
  },
  required: ['name'],
  additionalProperties: false,
};

describe('optionFields', () => {
  it('makes a field of each property, typed by the schema', () => {
    const fields = optionFields(schema);
    expect(fields.map((field) => [field.name, field.kind, field.required])).toEqual([
      ['delay_ms', 'integer', false],
      ['temperature', 'number', false],
      ['fail', 'choice', false],
      ['json_object', 'boolean', false],
      ['stop', 'json', false],
      ['name', 'text', true],
    ]);
    expect(fields[0]).toMatchObject({ description: 'Milliseconds to wait.', minimum: 0 });
    expect(fields[2]?.choices).toEqual(['retryable', 'fatal']);
  });

  it('has no fields for a schema without properties', () => {
    expect(optionFields({ type: 'object' })).toEqual([]);
    expect(optionFields(null)).toEqual([]);
  });
});

describe('optionValue', () => {
  const [delay, temperature, fail, flag, stop, name] = optionFields(schema);
  if (!delay || !temperature || !fail || !flag || !stop || !name) throw new Error('fields');

  it('leaves an empty optional field out', () => {
    expect(optionValue(delay, ' ')).toEqual({ ok: true, value: undefined });
    expect(optionValue(name, '')).toEqual({ ok: false, message: 'name is required' });
  });

  it('reads numbers within their bounds', () => {
    expect(optionValue(delay, '25')).toEqual({ ok: true, value: 25 });
    expect(optionValue(delay, '2.5')).toMatchObject({ ok: false });
    expect(optionValue(delay, '-1')).toEqual({ ok: false, message: 'delay_ms must be at least 0' });
    expect(optionValue(temperature, '0.7')).toEqual({ ok: true, value: 0.7 });
    expect(optionValue(temperature, 'warm')).toMatchObject({ ok: false });
  });

  it('reads choices, booleans, JSON and text', () => {
    expect(optionValue(fail, 'fatal')).toEqual({ ok: true, value: 'fatal' });
    expect(optionValue(fail, 'sometimes')).toMatchObject({ ok: false });
    expect(optionValue(flag, 'false')).toEqual({ ok: true, value: false });
    expect(optionValue(stop, '["a","b"]')).toEqual({ ok: true, value: ['a', 'b'] });
    expect(optionValue(stop, '[a')).toMatchObject({ ok: false });
    expect(optionValue(name, 'x')).toEqual({ ok: true, value: 'x' });
  });
});
