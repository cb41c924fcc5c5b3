import { ModelError, ModelRegistry, OptionsError, type Tool } from '@llmq/core';
import { type AnthropicCompatibleServer, startAnthropicCompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as plugin from './index.ts';

let server: AnthropicCompatibleServer;
let registry: ModelRegistry;

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

const weather: Tool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};
const time: Tool = {
  name: 'get_time',
  inputSchema: { type: 'object', properties: { zone: { type: 'string' } } },
};

beforeAll(async () => {
  server = await startAnthropicCompatibleServer();
  registry = new ModelRegistry();
  await registry.use('@llmq/plugin-anthropic', plugin, {
    settings: {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.baseUrl,
      LLMQ_ANTHROPIC_MODELS: JSON.stringify([
        { id: 'claude-tools' },
        { id: 'claude-tools-whole', stream: false },
        { id: 'claude-no-tools', tools: false },
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

describe('Anthropic models with tools', () => {
  it('sends tools with their input_schema and tool_choice as Anthropic’s object', async () => {
    await registry.get('claude-tools').prompt('Weather in Paris?', {
      tools: [weather, time],
      options: { tool_choice: { type: 'tool', name: 'get_weather' } },
    });
    expect(lastBody()).toMatchObject({
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city.',
          input_schema: weather.inputSchema,
        },
        { name: 'get_time', input_schema: time.inputSchema },
      ],
      tool_choice: { type: 'tool', name: 'get_weather' },
    });
    await registry
      .get('claude-tools')
      .prompt('x', { tools: [weather], options: { tool_choice: 'any' } });
    expect(lastBody().tool_choice).toEqual({ type: 'any' });
  });

  it('refuses a tool_choice without tools or naming another tool, before anything is sent', () => {
    const model = registry.get('claude-tools');
    expect(() => model.prompt('x', { options: { tool_choice: 'any' } })).toThrow(OptionsError);
    expect(() =>
      model.prompt('x', {
        tools: [weather],
        options: { tool_choice: { type: 'tool', name: 'get_time' } },
      }),
    ).toThrow(/names get_time, which is not one of the prompt's tools \(get_weather\)/);
    expect(() => registry.get('claude-no-tools').parseOptions({ tool_choice: 'any' })).toThrow(
      /Unknown option 'tool_choice'/,
    );
    expect(server.requests).toEqual([]);
  });

  it('assembles streamed calls by block, in order, from input_json_delta pieces', async () => {
    server.enqueue({
      text: 'Let me check.',
      toolCalls: [
        { id: 'toolu_a', name: 'get_weather', inputChunks: ['{"ci', 'ty": "Pa', 'ris"}'] },
        { id: 'toolu_b', name: 'get_time' },
      ],
    });
    const done = await registry.get('claude-tools').prompt('Weather and time?', {
      tools: [weather, time],
    });
    expect(done.text()).toBe('Let me check.');
    expect(done.toolCalls()).toEqual([
      { id: 'toolu_a', name: 'get_weather', arguments: { city: 'Paris' } },
      { id: 'toolu_b', name: 'get_time', arguments: {} },
    ]);
    expect(done.json()).toMatchObject({ stop_reason: 'tool_use' });
  });

  it('fails for good when a call’s input is not a JSON object, naming the tool', async () => {
    for (const model of ['claude-tools', 'claude-tools-whole']) {
      server.enqueue({ toolCalls: [{ name: 'get_weather', input: '["Paris"]' }] });
      const error = await registry
        .get(model)
        .prompt('x', { tools: [weather] })
        .then(
          () => undefined,
          (caught: unknown) => caught,
        );
      expect(error).toBeInstanceOf(ModelError);
      expect(error).toMatchObject({
        retryable: false,
        message:
          'The model called tool get_weather with input that is not a JSON object: ["Paris"]',
      });
    }
  });

  it('runs a round trip: results go back as tool_result blocks, with the next text in one user turn', async () => {
    for (const model of ['claude-tools', 'claude-tools-whole']) {
      const conversation = registry.get(model).conversation();
      server.enqueue({
        toolCalls: [
          { id: `${model}-1`, name: 'get_weather', input: { city: 'Paris' } },
          { id: `${model}-2`, name: 'get_time', input: { zone: 'CET' } },
        ],
      });
      const first = await conversation.prompt('Weather and time in Paris?', {
        tools: [weather, time],
      });
      expect(first.toolCalls().map((call) => call.id)).toEqual([`${model}-1`, `${model}-2`]);
      const second = await conversation.prompt('Be brief.', {
        tools: [weather, time],
        toolResults: [
          { toolCallId: `${model}-1`, name: 'get_weather', output: 'Sunny' },
          {
            toolCallId: `${model}-2`,
            name: 'get_time',
            output: 'Error: no clock',
            exception: 'RuntimeError: no clock',
          },
        ],
      });
      expect(second.text()).toBe('Tool results: get_weather: Sunny; get_time: Error: no clock');
      expect(lastBody().messages).toEqual([
        { role: 'user', content: 'Weather and time in Paris?' },
        {
          role: 'assistant',
          content: [
            { type: 'tool_use', id: `${model}-1`, name: 'get_weather', input: { city: 'Paris' } },
            { type: 'tool_use', id: `${model}-2`, name: 'get_time', input: { zone: 'CET' } },
          ],
        },
        {
          role: 'user',
          content: [
            { type: 'tool_result', tool_use_id: `${model}-1`, content: 'Sunny' },
            {
              type: 'tool_result',
              tool_use_id: `${model}-2`,
              content: 'Error: no clock',
              is_error: true,
            },
            { type: 'text', text: 'Be brief.' },
          ],
        },
      ]);
    }
  });
});
