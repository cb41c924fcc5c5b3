import { ModelRegistry, SchemaNotSupportedError } from '@llmq/core';
import { type AnthropicCompatibleServer, startAnthropicCompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as plugin from './index.ts';

let server: AnthropicCompatibleServer;
let registry: ModelRegistry;

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

beforeAll(async () => {
  server = await startAnthropicCompatibleServer();
  registry = new ModelRegistry();
  await registry.use('@llmq/plugin-anthropic', plugin, {
    settings: {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.baseUrl,
      LLMQ_ANTHROPIC_MODELS: JSON.stringify([
        { id: 'claude-schemas', schemas: true },
        { id: 'claude-plain' },
      ]),
    },
  });
});

afterAll(async () => {
  await server.close();
});

describe('Anthropic structured output', () => {
  it('sends the schema as output_config.format, closed as strict decoding wants', async () => {
    const schema = {
      type: 'object',
      properties: {
        name: { type: 'string' },
        age: { type: 'integer', minimum: 0, description: 'In years.' },
      },
      required: ['name', 'age'],
    };
    const done = await registry.get('claude-schemas').prompt('Invent a dog', { schema });
    expect(lastBody().output_config).toEqual({
      format: {
        type: 'json_schema',
        schema: {
          type: 'object',
          properties: {
            name: { type: 'string' },
            // Keywords strict decoding lacks are said in the description, as the SDK does.
            age: { type: 'integer', description: 'In years.\n\n{minimum: 0}' },
          },
          additionalProperties: false,
          required: ['name', 'age'],
        },
      },
    });
    expect(JSON.parse(done.text())).toEqual({ name: 'example', age: 0 });
  });

  it('sends a schema the transform cannot take as written', async () => {
    await registry
      .get('claude-schemas')
      .prompt('{"anything": 1}', { schema: { description: 'Any JSON.' } });
    expect(lastBody().output_config).toEqual({
      format: { type: 'json_schema', schema: { description: 'Any JSON.' } },
    });
  });

  it('refuses a schema for a model without structured outputs', () => {
    expect(() => registry.get('claude-plain').prompt('x', { schema: { type: 'object' } })).toThrow(
      SchemaNotSupportedError,
    );
  });
});
