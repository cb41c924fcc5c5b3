import { ModelRegistry, OptionsError, SchemaNotSupportedError } from '@llmq/core';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';

let server: OpenAICompatibleServer;
let registry: ModelRegistry;

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

/** Ready for OpenAI's strict mode: every object closed, every property required. */
const invoiceSchema = {
  type: 'object',
  properties: {
    vendor: { type: 'string', description: 'Who sent the invoice' },
    date: { type: 'string' },
    total: { type: 'number' },
    items: {
      type: 'array',
      items: {
        type: 'object',
        properties: { name: { type: 'string' }, price: { type: 'number' } },
        required: ['name', 'price'],
        additionalProperties: false,
      },
    },
  },
  required: ['vendor', 'date', 'total', 'items'],
  additionalProperties: false,
} as const;

/** As llm's concise syntax builds it: properties optional, extra properties allowed. */
const conciseSchema = {
  type: 'object',
  properties: { name: { type: 'string' }, age: { type: 'integer' } },
  required: ['name'],
};

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'local-structured', model: 'gpt-4.1-mini', schemas: true },
        { id: 'local-structured-whole', model: 'gpt-4.1-mini', schemas: true, stream: false },
        { id: 'local-plain', model: 'llama3' },
      ]),
    },
  });
});

afterAll(async () => {
  await server.close();
});

beforeEach(() => {
  server.requests.length = 0;
});

describe('structured output (json_schema)', () => {
  it('sends the exact schema as a strict json_schema response format', async () => {
    const done = await registry
      .get('local-structured')
      .prompt('Extract the invoice', { schema: invoiceSchema });
    expect(lastBody().response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: invoiceSchema, strict: true },
    });
    // The local server answers JSON built from the schema, as the provider would.
    expect(JSON.parse(done.text())).toEqual({
      vendor: 'example',
      date: 'example',
      total: 0,
      items: [{ name: 'example', price: 0 }],
    });
  });

  it('sends a schema strict mode cannot enforce unchanged, with strict false', async () => {
    const before = structuredClone(conciseSchema);
    await registry.get('local-structured').prompt('Alice, 30', { schema: conciseSchema });
    expect(lastBody().response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: before, strict: false },
    });
    expect(conciseSchema).toEqual(before);
  });

  it('asks for the schema rather than plain JSON mode when both are given', async () => {
    await registry
      .get('local-structured-whole')
      .prompt('x', { schema: invoiceSchema, options: { json_object: true } });
    expect(lastBody()).toEqual({
      model: 'gpt-4.1-mini',
      messages: [{ role: 'user', content: 'x' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'output', schema: invoiceSchema, strict: true },
      },
    });
  });

  it('answers the prompt itself when it is JSON, so a test chooses the reply', async () => {
    const chosen = { vendor: 'ACME', date: '2026-01-02', total: 12.5, items: [] };
    const done = await registry
      .get('local-structured')
      .prompt(JSON.stringify(chosen), { schema: invoiceSchema });
    expect(JSON.parse(done.text())).toEqual(chosen);
  });

  it('refuses a schema for a model without structured outputs before sending anything', () => {
    expect(registry.get('local-structured').supportsSchema).toBe(true);
    expect(registry.get('local-plain').supportsSchema).toBe(false);
    expect(() => registry.get('local-plain').prompt('x', { schema: invoiceSchema })).toThrow(
      SchemaNotSupportedError,
    );
    expect(server.requests).toHaveLength(0);
  });
});

describe('the strict_schema option', () => {
  it('is taken by a model with structured outputs only', () => {
    expect(registry.get('local-structured').optionsSchema.shape).toHaveProperty('strict_schema');
    expect(registry.get('local-plain').optionsSchema.shape).not.toHaveProperty('strict_schema');
  });

  it('false sends a strict-ready schema as given, with strict false', async () => {
    await registry
      .get('local-structured')
      .prompt('x', { schema: invoiceSchema, options: { strict_schema: false } });
    expect(lastBody().response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: invoiceSchema, strict: false },
    });
    expect(lastBody()).not.toHaveProperty('strict_schema');
  });

  it('false sends a schema llmq would close as written, not closed', async () => {
    const closable = { type: 'object', properties: { a: { type: 'string' } }, required: ['a'] };
    await registry
      .get('local-structured')
      .prompt('x', { schema: closable, options: { strict_schema: false } });
    expect(lastBody().response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: closable, strict: false },
    });
  });

  it('true sends strict mode, and refuses a schema strict mode cannot enforce before sending it', async () => {
    await registry
      .get('local-structured')
      .prompt('x', { schema: invoiceSchema, options: { strict_schema: true } });
    expect(lastBody().response_format).toMatchObject({ json_schema: { strict: true } });
    server.requests.length = 0;
    const response = registry
      .get('local-structured')
      .prompt('x', { schema: conciseSchema, options: { strict_schema: true } });
    const error = await response.text().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OptionsError);
    expect((error as OptionsError).message).toMatch(
      /Option 'strict_schema': the schema cannot be sent in strict mode \(strict mode needs .*additionalProperties: false/,
    );
    expect(server.requests).toHaveLength(0);
  });
});
