import { ModelRegistry, NeedsKeyError } from '@llmq/core';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';
import { OpenAIClients } from './openai-clients.ts';
import { openAIEndpointOf } from './openai-endpoint.ts';

let alpha: OpenAICompatibleServer;
let beta: OpenAICompatibleServer;
let registry: ModelRegistry;

beforeAll(async () => {
  [alpha, beta] = await Promise.all([startOpenAICompatibleServer(), startOpenAICompatibleServer()]);
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-openai-never-sent-elsewhere',
      ALPHA_API_KEY: 'alpha-key',
      BETA_API_KEY: 'beta-key',
      LLMQ_OPENAI_MODELS: JSON.stringify([
        {
          id: 'on-alpha',
          model: 'qwen',
          base_url: alpha.baseUrl,
          key_env: 'ALPHA_API_KEY',
          provider: 'alpha',
          fallbacks: ['on-beta'],
        },
        {
          id: 'on-beta',
          base_url: beta.baseUrl,
          key_env: 'BETA_API_KEY',
          provider: 'beta',
          headers: { 'X-Title': 'llmq' },
        },
        { id: 'keyless', base_url: beta.baseUrl, key_env: null, api: 'chat' },
        { id: 'beta-without-its-key', base_url: beta.baseUrl, key_env: 'UNSET_KEY' },
      ]),
    },
  });
});

afterAll(async () => {
  await Promise.all([alpha.close(), beta.close()]);
});

beforeEach(() => {
  alpha.requests.length = 0;
  beta.requests.length = 0;
});

describe('models on several servers at once', () => {
  it('calls each model at its own server with its own key', async () => {
    alpha.enqueue({ text: 'from alpha' });
    beta.enqueue({ text: 'from beta' });
    expect(await registry.get('on-alpha').prompt('hi').text()).toBe('from alpha');
    expect(await registry.get('on-beta').prompt('hi').text()).toBe('from beta');
    expect(alpha.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
      ['/v1/chat/completions', 'Bearer alpha-key'],
    ]);
    expect((alpha.requests[0]?.body as { model?: string } | undefined)?.model).toBe('qwen');
    expect(beta.requests.map((request) => [request.path, request.headers.authorization])).toEqual([
      ['/v1/chat/completions', 'Bearer beta-key'],
    ]);
    expect(beta.requests[0]?.headers['x-title']).toBe('llmq');
  });

  it('sends no key to a server that needs none, even with OPENAI_API_KEY set', async () => {
    beta.enqueue({ text: 'local' });
    const model = registry.get('keyless');
    expect([model.needsKey, model.keyEnvVar, model.key]).toEqual([undefined, undefined, undefined]);
    expect(await model.prompt('hi').text()).toBe('local');
    expect(beta.requests[0]?.headers.authorization).toBeUndefined();
  });

  it('names its key by its provider (here the host), and says which variable is missing', async () => {
    const model = registry.get('beta-without-its-key');
    expect([model.needsKey, model.keyEnvVar]).toEqual(['127.0.0.1', 'UNSET_KEY']);
    await expect(model.prompt('hi').text()).rejects.toThrow(NeedsKeyError);
    // A key given for the call (a stored one, as the engine resolves it) is used.
    beta.enqueue({ text: 'stored key' });
    expect(await model.prompt('hi', { key: 'stored-beta-key' }).text()).toBe('stored key');
    expect(beta.requests.at(-1)?.headers.authorization).toBe('Bearer stored-beta-key');
  });

  it('says where each model lives, its API and its fallbacks, without keys', () => {
    const listed = ['on-alpha', 'keyless'].map((id) => {
      const { provider, endpoint, api, fallbacks } = registry.get(id);
      return { provider, endpoint, api, fallbacks };
    });
    expect(listed).toEqual([
      { provider: 'alpha', endpoint: alpha.baseUrl, api: 'chat', fallbacks: ['on-beta'] },
      { provider: '127.0.0.1', endpoint: beta.baseUrl, api: 'chat', fallbacks: [] },
    ]);
    const openai = new ModelRegistry();
    registerModels(openai.register, { settings: {} });
    const { provider, endpoint, api, needsKey } = openai.get('gpt-4o-mini');
    expect({ provider, endpoint, api, needsKey }).toEqual({
      provider: 'openai',
      endpoint: 'https://api.openai.com/v1',
      api: 'responses',
      needsKey: 'openai',
    });
  });
});

describe('OpenAIClients', () => {
  it('keeps one client per server and key name, replaced when the key changes', () => {
    const clients = new OpenAIClients();
    const endpoint = openAIEndpointOf(
      { base_url: 'http://127.0.0.1:1/v1', key_env: 'K', provider: 'p' },
      undefined,
    );
    const first = clients.clientFor({ endpoint, apiKey: 'key-one' });
    expect(clients.clientFor({ endpoint, apiKey: 'key-one' })).toBe(first);
    const other = openAIEndpointOf({ base_url: 'http://127.0.0.1:2/v1', key_env: 'K' }, undefined);
    expect(clients.clientFor({ endpoint: other, apiKey: 'key-one' })).not.toBe(first);
    const replaced = clients.clientFor({ endpoint, apiKey: 'key-two' });
    expect(replaced).not.toBe(first);
    expect(replaced.apiKey).toBe('key-two');
  });
});
