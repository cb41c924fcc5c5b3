import {
  ModelError,
  ModelRegistry,
  OptionsError,
  type Tool,
  ToolsNotSupportedError,
} from '@llmq/core';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';

let server: OpenAICompatibleServer;
let registry: ModelRegistry;

const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

const weather: Tool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};
const time: Tool = {
  name: 'get_time',
  inputSchema: { type: 'object', properties: { zone: { type: 'string' } } },
};

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'local-tools', tools: true },
        { id: 'local-tools-whole', tools: true, stream: false },
        { id: 'local-plain' },
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

describe('OpenAI chat models with tools', () => {
  it('sends the tools as functions, with tool_choice and parallel_tool_calls as given', async () => {
    await registry.get('local-tools').prompt('Weather in Paris?', {
      tools: [weather, time],
      options: {
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
        parallel_tool_calls: false,
      },
    });
    expect(lastBody()).toEqual({
      model: 'local-tools',
      messages: [{ role: 'user', content: 'Weather in Paris?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather in a city.',
            parameters: weather.inputSchema,
          },
        },
        { type: 'function', function: { name: 'get_time', parameters: time.inputSchema } },
      ],
      tool_choice: { type: 'function', function: { name: 'get_weather' } },
      parallel_tool_calls: false,
      stream: true,
      stream_options: { include_usage: true },
    });
    await registry
      .get('local-tools')
      .prompt('x', { tools: [weather], options: { tool_choice: 'required' } });
    expect(lastBody().tool_choice).toBe('required');
  });

  it('refuses tool options without tools, and a tool_choice naming no tool of the prompt', () => {
    const model = registry.get('local-tools');
    expect(() => model.prompt('x', { options: { tool_choice: 'auto' } })).toThrow(
      "Option 'tool_choice' needs tools; the prompt gives none",
    );
    expect(() => model.prompt('x', { options: { parallel_tool_calls: true } })).toThrow(
      OptionsError,
    );
    expect(() =>
      model.prompt('x', {
        tools: [weather],
        options: { tool_choice: { type: 'function', function: { name: 'get_time' } } },
      }),
    ).toThrow(/names get_time, which is not one of the prompt's tools \(get_weather\)/);
    expect(() =>
      registry.get('local-plain').prompt('x', { options: { tool_choice: 'auto' } }),
    ).toThrow("Unknown option 'tool_choice' for model local-plain");
  });

  it('assembles two parallel calls whose arguments are split and interleaved across chunks', async () => {
    server.enqueue({
      toolCalls: [
        {
          id: 'call_a',
          name: 'get_weather',
          argumentChunks: ['{"ci', 'ty":"Pa', 'ris, ', 'France"}'],
        },
        {
          id: 'call_b',
          name: 'get_time',
          argumentChunks: ['{', '"zone"', ':"Europe/', 'Paris"', '}'],
        },
      ],
    });
    const response = registry
      .get('local-tools')
      .prompt('Weather and time?', { tools: [weather, time] });
    const events = [];
    for await (const event of response.events()) events.push(event);
    expect(events).toEqual([
      {
        type: 'tool_call',
        call: { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris, France' } },
      },
      {
        type: 'tool_call',
        call: { id: 'call_b', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
      },
    ]);
    const done = await response;
    expect(done.text()).toBe('');
    expect(done.json()).toMatchObject({
      finish_reason: 'tool_calls',
      tool_calls: [
        { index: 0, id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris, France"}' },
        { index: 1, id: 'call_b', name: 'get_time', arguments: '{"zone":"Europe/Paris"}' },
      ],
    });
    expect(done.usage()?.output).toBeGreaterThan(0);
  });

  it('gives the text said before the calls as well as the calls', async () => {
    server.enqueue({
      text: 'Let me look.',
      toolCalls: [{ id: 'call_c', name: 'get_weather', arguments: { city: 'Oslo' } }],
    });
    const done = await registry.get('local-tools').prompt('Weather?', { tools: [weather] });
    expect(done.text()).toBe('Let me look.');
    expect(done.toolCalls()).toEqual([
      { id: 'call_c', name: 'get_weather', arguments: { city: 'Oslo' } },
    ]);
  });

  it('fails with a final ModelError naming the tool and the text when arguments are not JSON', async () => {
    server.enqueue({
      toolCalls: [{ id: 'call_d', name: 'get_weather', arguments: '{"city": Paris}' }],
    });
    const error = await registry
      .get('local-tools')
      .prompt('Weather?', { tools: [weather] })
      .text()
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ModelError);
    expect((error as ModelError).retryable).toBe(false);
    expect((error as ModelError).message).toMatch(
      /^The model called tool get_weather with arguments that are not valid JSON \(.*\): \{"city": Paris\}$/,
    );
  });

  it('reads the calls of an answer that is not streamed', async () => {
    server.enqueue({
      toolCalls: [
        { id: 'call_e', name: 'get_weather', arguments: { city: 'Rome' } },
        { id: 'call_f', name: 'get_time', arguments: {} },
      ],
    });
    const done = await registry.get('local-tools-whole').prompt('x', { tools: [weather, time] });
    expect(done.toolCalls()).toEqual([
      { id: 'call_e', name: 'get_weather', arguments: { city: 'Rome' } },
      { id: 'call_f', name: 'get_time', arguments: {} },
    ]);
    expect(lastBody().stream).toBeUndefined();
    expect(done.json()).toMatchObject({ choices: [{ finish_reason: 'tool_calls' }] });
    server.enqueue({ toolCalls: [{ name: 'get_weather', arguments: '[1]' }] });
    await expect(
      registry
        .get('local-tools-whole')
        .prompt('x', { tools: [weather] })
        .text(),
    ).rejects.toThrow(
      'The model called tool get_weather with arguments that are not a JSON object: [1]',
    );
  });

  it('replays the calls and their results in OpenAI’s shape, and the server answers with the results', async () => {
    const model = registry.get('local-tools');
    const conversation = model.conversation();
    server.enqueue({
      toolCalls: [
        { id: 'call_g', name: 'get_weather', arguments: { city: 'Paris' } },
        { id: 'call_h', name: 'get_time', arguments: { zone: 'CET' } },
      ],
    });
    const first = await conversation.prompt('Weather and time in Paris?', {
      system: 'Be brief.',
      tools: [weather, time],
    });
    expect(first.toolCalls()).toHaveLength(2);
    const second = await conversation.prompt('', {
      tools: [weather, time],
      toolResults: [
        { toolCallId: 'call_g', name: 'get_weather', output: 'sunny' },
        { toolCallId: 'call_h', name: 'get_time', output: '12:00' },
      ],
    });
    expect(lastBody().messages).toEqual([
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'Weather and time in Paris?' },
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: 'call_g',
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
          },
          {
            id: 'call_h',
            type: 'function',
            function: { name: 'get_time', arguments: '{"zone":"CET"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: 'call_g', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_h', content: '12:00' },
    ]);
    expect(second.text()).toBe('Tool results: get_weather: sunny; get_time: 12:00');
  });

  it('refuses tools and tool results for a model without tools', () => {
    const model = registry.get('local-plain');
    expect(model.supportsTools).toBe(false);
    expect(registry.get('local-tools').supportsTools).toBe(true);
    expect(() => model.prompt('x', { tools: [weather] })).toThrow(ToolsNotSupportedError);
    expect(() =>
      model.prompt('', { toolResults: [{ toolCallId: 'c', name: 'get_weather', output: 'x' }] }),
    ).toThrow(ToolsNotSupportedError);
  });
});

describe('the local server’s tool-call stream, read by the openai SDK’s own helpers', () => {
  it('completes a two-tool loop with runTools', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseUrl, maxRetries: 0 });
    server.enqueue({
      toolCalls: [
        { id: 'call_w', name: 'get_weather', arguments: { city: 'Lisbon' } },
        { id: 'call_t', name: 'get_time', arguments: { zone: 'WET' } },
      ],
    });
    const invoked: string[] = [];
    const runner = client.chat.completions.runTools({
      model: 'gpt-4.1',
      stream: true,
      messages: [{ role: 'user', content: 'Weather and time in Lisbon?' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            description: 'The weather in a city.',
            parameters: weather.inputSchema as Record<string, unknown>,
            parse: JSON.parse,
            function: (args: { city: string }) => {
              invoked.push(`weather ${args.city}`);
              return 'sunny';
            },
          },
        },
        {
          type: 'function',
          function: {
            name: 'get_time',
            description: 'The time in a zone.',
            parameters: time.inputSchema as Record<string, unknown>,
            parse: JSON.parse,
            function: (args: { zone: string }) => {
              invoked.push(`time ${args.zone}`);
              return '09:30';
            },
          },
        },
      ],
    });
    expect(await runner.finalContent()).toBe('Tool results: get_weather: sunny; get_time: 09:30');
    expect(invoked).toEqual(['weather Lisbon', 'time WET']);
    const messages = runner.messages;
    expect(messages.at(1)).toMatchObject({
      role: 'assistant',
      tool_calls: [
        {
          id: 'call_w',
          type: 'function',
          function: { name: 'get_weather', arguments: '{"city":"Lisbon"}' },
        },
        {
          id: 'call_t',
          type: 'function',
          function: { name: 'get_time', arguments: '{"zone":"WET"}' },
        },
      ],
    });
    expect(server.requests).toHaveLength(2);
    expect((lastBody().messages as unknown[]).slice(2)).toEqual([
      { role: 'tool', tool_call_id: 'call_w', content: 'sunny' },
      { role: 'tool', tool_call_id: 'call_t', content: '09:30' },
    ]);
  });

  it('streams deltas the SDK’s stream helper folds into the same calls', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseUrl, maxRetries: 0 });
    server.enqueue({
      toolCalls: [
        { id: 'call_x', name: 'get_weather', arguments: { city: 'Kyiv' } },
        { id: 'call_y', name: 'get_time', arguments: { zone: 'EET' } },
      ],
    });
    const stream = client.chat.completions.stream({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'x' }],
      tools: [
        {
          type: 'function',
          function: {
            name: 'get_weather',
            parameters: weather.inputSchema as Record<string, unknown>,
          },
        },
        {
          type: 'function',
          function: { name: 'get_time', parameters: time.inputSchema as Record<string, unknown> },
        },
      ],
      stream_options: { include_usage: true },
    });
    const completion = await stream.finalChatCompletion();
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.content).toBeNull();
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_x',
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Kyiv"}' },
      },
      {
        id: 'call_y',
        type: 'function',
        function: { name: 'get_time', arguments: '{"zone":"EET"}' },
      },
    ]);
    expect(completion.usage?.completion_tokens).toBeGreaterThan(0);
  });
});

describe('the local server’s checks of tool requests', () => {
  it('answers 400 as OpenAI does to a tool message that answers no call', async () => {
    const client = new OpenAI({ apiKey: 'sk-test', baseURL: server.baseUrl, maxRetries: 0 });
    const error = await client.chat.completions
      .create({
        model: 'gpt-4.1',
        messages: [
          { role: 'user', content: 'x' },
          { role: 'tool', tool_call_id: 'call_nowhere', content: 'sunny' },
        ],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(400);
    expect((error as Error).message).toMatch(/messages with role 'tool' must be a response/);
  });
});
