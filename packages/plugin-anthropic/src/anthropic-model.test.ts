import { Attachment, ModelRegistry, NeedsKeyError, type Tool } from '@llmq/core';
import {
  type AnthropicCompatibleServer,
  sampleFiles,
  signThinking,
  startAnthropicCompatibleServer,
} from '@llmq/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as plugin from './index.ts';

let server: AnthropicCompatibleServer;
let registry: ModelRegistry;

const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const lastBody = () => server.requests.at(-1)?.body as Record<string, unknown>;

const weather: Tool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

beforeAll(async () => {
  server = await startAnthropicCompatibleServer();
  registry = new ModelRegistry();
  await registry.use('@llmq/plugin-anthropic', plugin, {
    settings: {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.baseUrl,
      LLMQ_ANTHROPIC_MODELS: JSON.stringify([
        { id: 'claude-local', model: 'claude-sonnet-4-6', aliases: ['cl'], thinking: 'budget' },
        { id: 'claude-whole', stream: false, max_tokens: 1000 },
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

describe('Anthropic models: the exact request', () => {
  it('sends a text prompt with max_tokens, streamed, with the key and an API version', async () => {
    server.enqueue({ text: 'Hello there friend', chunks: ['Hello', ' there', ' friend'] });
    const response = registry.get('cl').prompt('Say hello');
    const chunks: string[] = [];
    for await (const chunk of response) chunks.push(chunk);
    expect(chunks).toEqual(['Hello', ' there', ' friend']);
    expect(lastBody()).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 8192,
      messages: [{ role: 'user', content: 'Say hello' }],
      stream: true,
    });
    const request = server.requests.at(-1);
    expect(request?.path).toBe('/v1/messages');
    // This SDK sends the key as a bearer token, which Anthropic takes as it takes x-api-key.
    expect(request?.headers.authorization).toBe('Bearer sk-ant-test');
    expect(request?.headers['anthropic-version']).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('sends the system prompt beside the messages, and options as Anthropic’s fields', async () => {
    await registry.get('claude-local').prompt('x', {
      system: 'You are terse.',
      options: {
        max_tokens: 50,
        temperature: 0.2,
        top_k: 5,
        stop_sequences: 'END',
        user_id: 'user-7',
      },
    });
    expect(lastBody()).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 50,
      system: 'You are terse.',
      messages: [{ role: 'user', content: 'x' }],
      temperature: 0.2,
      top_k: 5,
      stop_sequences: ['END'],
      metadata: { user_id: 'user-7' },
      stream: true,
    });
  });

  it('sends an image as a base64 image block before the text', async () => {
    await registry.get('claude-local').prompt('describe', {
      attachments: [new Attachment({ content: sampleFiles.png })],
    });
    expect(lastBody()).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 8192,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'image',
              source: { type: 'base64', media_type: 'image/png', data: base64(sampleFiles.png) },
            },
            { type: 'text', text: 'describe' },
          ],
        },
      ],
      stream: true,
    });
  });

  it('sends a PDF as a base64 document block, and an attachment without bytes by URL', async () => {
    await registry.get('claude-whole').prompt('summarise', {
      attachments: [
        new Attachment({ content: sampleFiles.pdf }),
        new Attachment({ url: 'https://example.com/cat.jpg', type: 'image/jpeg' }),
      ],
    });
    expect(lastBody()).toEqual({
      model: 'claude-whole',
      max_tokens: 1000,
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'document',
              source: {
                type: 'base64',
                media_type: 'application/pdf',
                data: base64(sampleFiles.pdf),
              },
            },
            { type: 'image', source: { type: 'url', url: 'https://example.com/cat.jpg' } },
            { type: 'text', text: 'summarise' },
          ],
        },
      ],
      stream: false,
    });
  });

  it('replays a three-turn conversation: system, a tool round, and thinking sent back signed', async () => {
    const model = registry.get('claude-local');
    const conversation = model.conversation();
    const thinking = { options: { thinking: true }, tools: [weather] };
    server.enqueue({
      thinking: 'I should call the weather tool.',
      toolCalls: [{ id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } }],
    });
    const first = await conversation.prompt('Weather in Paris?', {
      ...thinking,
      system: 'You are terse.',
    });
    expect(first.reasoning()).toBe('I should call the weather tool.');
    expect(first.toolCalls()).toEqual([
      { id: 'toolu_1', name: 'get_weather', arguments: { city: 'Paris' } },
    ]);
    server.enqueue({ thinking: 'The tool says sunny.' });
    const second = await conversation.prompt('', {
      ...thinking,
      toolResults: [{ toolCallId: 'toolu_1', name: 'get_weather', output: 'Sunny' }],
    });
    expect(second.text()).toBe('Tool results: get_weather: Sunny');
    const third = await conversation.prompt('And tomorrow?', thinking);
    expect(third.text()).toBe('ok');
    expect(lastBody()).toEqual({
      model: 'claude-sonnet-4-6',
      max_tokens: 8192,
      system: 'You are terse.',
      thinking: { type: 'enabled', budget_tokens: 1024 },
      tools: [
        {
          name: 'get_weather',
          description: 'The weather in a city.',
          input_schema: weather.inputSchema,
        },
      ],
      messages: [
        { role: 'user', content: 'Weather in Paris?' },
        {
          role: 'assistant',
          content: [
            {
              type: 'thinking',
              thinking: 'I should call the weather tool.',
              signature: signThinking('I should call the weather tool.'),
            },
            { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { city: 'Paris' } },
          ],
        },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: 'toolu_1', content: 'Sunny' }],
        },
        {
          role: 'assistant',
          content: [
            {
              type: 'thinking',
              thinking: 'The tool says sunny.',
              signature: signThinking('The tool says sunny.'),
            },
            { type: 'text', text: 'Tool results: get_weather: Sunny' },
          ],
        },
        { role: 'user', content: 'And tomorrow?' },
      ],
      stream: true,
    });
  });

  it('leaves stored thinking out when the turn does not think', async () => {
    const conversation = registry.get('claude-local').conversation();
    server.enqueue({ thinking: 'Hmm.', text: 'first' });
    await conversation.prompt('one', { options: { thinking: true } });
    await conversation.prompt('two');
    expect(lastBody().messages).toEqual([
      { role: 'user', content: 'one' },
      { role: 'assistant', content: 'first' },
      { role: 'user', content: 'two' },
    ]);
  });

  it('marks the system prompt and the last user block for the cache', async () => {
    const conversation = registry.get('claude-local').conversation();
    await conversation.prompt('one', { system: 'Long instructions.' });
    await conversation.prompt('two', { options: { cache: true } });
    expect(lastBody()).toMatchObject({
      system: [{ type: 'text', text: 'Long instructions.', cache_control: { type: 'ephemeral' } }],
      messages: [
        { role: 'user', content: 'one' },
        { role: 'assistant', content: 'ok' },
        {
          role: 'user',
          content: [{ type: 'text', text: 'two', cache_control: { type: 'ephemeral' } }],
        },
      ],
    });
  });

  it('raises max_tokens past a thinking budget that would leave no room for the answer', async () => {
    await registry.get('claude-local').prompt('x', { options: { thinking_budget: 10_000 } });
    expect(lastBody()).toMatchObject({
      max_tokens: 18_192,
      thinking: { type: 'enabled', budget_tokens: 10_000 },
    });
  });
});

describe('Anthropic models: answers', () => {
  it('gives the same chunks, reasoning, calls, usage and payload streamed or not', async () => {
    const reply = {
      thinking: 'Think first.',
      text: 'Calling now',
      toolCalls: [{ id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } }],
    };
    const model = registry.get('claude-local');
    const ask = (stream: boolean) =>
      model.prompt('Weather?', { tools: [weather], stream, options: { thinking: true } });
    server.enqueue(reply);
    const streamed = await ask(true);
    server.enqueue(reply);
    const whole = await ask(false);
    expect(server.requests.map((request) => (request.body as { stream?: unknown }).stream)).toEqual(
      [true, false],
    );
    expect(streamed.text()).toBe('Calling now');
    expect(whole.text()).toBe(streamed.text());
    expect(whole.reasoning()).toBe(streamed.reasoning());
    expect(whole.toolCalls()).toEqual(streamed.toolCalls());
    expect(whole.usage()).toEqual(streamed.usage());
    const withoutId = (json: unknown) => ({ ...(json as Record<string, unknown>), id: undefined });
    expect(withoutId(whole.json())).toEqual(withoutId(streamed.json()));
    expect(streamed.json()).toMatchObject({
      model: 'claude-sonnet-4-6',
      stop_reason: 'tool_use',
      content: [
        { type: 'thinking', thinking: 'Think first.', signature: signThinking('Think first.') },
        { type: 'text', text: 'Calling now' },
        { type: 'tool_use', id: 'toolu_9', name: 'get_weather', input: { city: 'Oslo' } },
      ],
    });
  });

  it('records usage with the cache’s read and written tokens as details', async () => {
    const usage = {
      input_tokens: 12,
      cache_creation_input_tokens: 2048,
      cache_read_input_tokens: 1024,
      cache_creation: { ephemeral_5m_input_tokens: 2048, ephemeral_1h_input_tokens: 0 },
      output_tokens: 7,
      service_tier: 'standard',
    };
    const expected = {
      input: 12,
      output: 7,
      details: {
        cache_creation_input_tokens: 2048,
        cache_read_input_tokens: 1024,
        cache_creation: { ephemeral_5m_input_tokens: 2048 },
      },
    };
    server.enqueue({ usage });
    expect((await registry.get('claude-local').prompt('x')).usage()).toEqual(expected);
    server.enqueue({ usage });
    expect((await registry.get('claude-whole').prompt('x')).usage()).toEqual(expected);
    server.enqueue({});
    const plain = await registry.get('claude-local').prompt('two words');
    expect(plain.usage().details).toBeNull();
  });

  it('records the model Anthropic names when it is not the one asked', async () => {
    server.enqueue({ model: 'claude-sonnet-4-6-20260101' });
    const done = await registry.get('claude-local').prompt('x');
    expect(done.resolvedModel).toBe('claude-sonnet-4-6-20260101');
  });
});

describe('Anthropic models in the registry', () => {
  it('lists the configured models with their provider, endpoint, API and key', () => {
    const model = registry.get('claude-local');
    // On another server than Anthropic's the provider is its host; the key is still Anthropic's.
    expect(model).toMatchObject({
      provider: '127.0.0.1',
      endpoint: server.baseUrl,
      api: 'messages',
      needsKey: 'anthropic',
      keyEnvVar: 'ANTHROPIC_API_KEY',
      supportsTools: true,
      supportsSchema: false,
    });
    expect([...model.attachmentTypes].sort()).toEqual([
      'application/pdf',
      'image/gif',
      'image/jpeg',
      'image/png',
      'image/webp',
    ]);
    expect(String(model)).toBe('Anthropic Messages: claude-local');
  });

  it('registers the current Claude models by default, on Anthropic’s own server', async () => {
    const defaults = new ModelRegistry();
    await defaults.use('@llmq/plugin-anthropic', plugin, { settings: {} });
    expect(defaults.list().map((model) => model.id)).toEqual(
      plugin.defaultAnthropicModels.map((model) => model.id),
    );
    const sonnet = defaults.get('claude-sonnet');
    expect(sonnet).toMatchObject({
      modelId: 'claude-sonnet-5-5',
      provider: 'anthropic',
      endpoint: 'https://api.anthropic.com',
      supportsSchema: true,
    });
    // Claude 4.7 and later refuse sampling options and manual thinking budgets.
    expect(() => sonnet.parseOptions({ temperature: 0.5 })).toThrow(/Unknown option 'temperature'/);
    expect(() => sonnet.parseOptions({ thinking_budget: 2048 })).toThrow(/Unknown option/);
    expect(defaults.get('claude-haiku-4.5').parseOptions({ thinking_budget: 2048 })).toEqual({
      thinking_budget: 2048,
    });
    // Without a key a call fails as needing one, naming where the key goes.
    await expect(sonnet.prompt('x')).rejects.toBeInstanceOf(NeedsKeyError);
  });

  it('calls a model on its own server with its own key, stored under its provider', async () => {
    const other = new ModelRegistry();
    await other.use('@llmq/plugin-anthropic', plugin, {
      settings: {
        ANTHROPIC_API_KEY: 'sk-ant-main',
        PROXY_KEY: 'sk-proxy',
        LLMQ_ANTHROPIC_MODELS: JSON.stringify([
          {
            id: 'proxied',
            base_url: 'https://proxy.example.com/anthropic/',
            key_env: 'PROXY_KEY',
            fallbacks: ['claude-local'],
          },
          { id: 'keyless', base_url: server.baseUrl, key_env: null, provider: 'local' },
        ]),
      },
    });
    expect(other.get('proxied')).toMatchObject({
      key: 'sk-proxy',
      provider: 'proxy.example.com',
      needsKey: 'proxy.example.com',
      keyEnvVar: 'PROXY_KEY',
      endpoint: 'https://proxy.example.com/anthropic',
      fallbacks: ['claude-local'],
    });
    const keyless = other.get('keyless');
    expect(keyless).toMatchObject({ provider: 'local', needsKey: undefined, key: undefined });
    expect((await keyless.prompt('x')).text()).toBe('ok');
    expect(server.requests.at(-1)?.headers.authorization).toBeUndefined();
    expect(server.requests.at(-1)?.headers['x-api-key']).toBeUndefined();
  });

  it('refuses a wrong LLMQ_ANTHROPIC_MODELS at start with a PluginError naming it', async () => {
    const refused = (models: string) =>
      new ModelRegistry().use('@llmq/plugin-anthropic', plugin, {
        settings: { LLMQ_ANTHROPIC_MODELS: models },
      });
    await expect(refused('[{"id":')).rejects.toThrow(/LLMQ_ANTHROPIC_MODELS is not valid JSON/);
    await expect(refused('[{"id":"x","vision":"yes"}]')).rejects.toThrow(
      /LLMQ_ANTHROPIC_MODELS\[0\]\.vision/,
    );
    await expect(refused('[{"id":"x","options":["thinking_budget"]}]')).rejects.toThrow(
      /thinking_budget is for models with budgeted thinking/,
    );
    await expect(
      refused('[{"id":"x","base_url":"https://user:secret@proxy.example.com","key_env":"K"}]'),
    ).rejects.toThrow(/\[0\]\.base_url: a base URL holds no user, password or query/);
    await expect(refused('[{"id":"x","base_url":"https://proxy.example.com"}]')).rejects.toThrow(
      /\[0\]\.key_env: a model with its own base_url names the variable of its key/,
    );
    await expect(
      new ModelRegistry().use('@llmq/plugin-anthropic', plugin, {
        settings: { ANTHROPIC_BASE_URL: 'not a url' },
      }),
    ).rejects.toThrow(/ANTHROPIC_BASE_URL/);
  });
});
