import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'admin-model-endpoints-test';
const asAdmin = { authorization: `Bearer ${adminKey}` };
const storedRouterKey = 'router-stored-0123456789';

// The second server, started before the api so its URL can be in the plugin's settings.
let local: OpenAICompatibleServer;
const pluginSettings: Record<string, string | undefined> = {};
beforeAll(async () => {
  local = await startOpenAICompatibleServer();
  Object.assign(pluginSettings, {
    OPENAI_API_KEY: 'sk-openai-test-key',
    // Credentials and a query in OPENAI_BASE_URL are never shown.
    OPENAI_BASE_URL: 'http://someone:hunter2@127.0.0.1:9/v1?token=query-secret',
    VLLM_API_KEY: 'vllm-env-key-0123456789',
    LLMQ_OPENAI_MODELS: JSON.stringify([
      { id: 'local-vision', aliases: ['lv'], vision: true, fallbacks: ['qwen'] },
      {
        id: 'qwen',
        base_url: local.baseUrl,
        key_env: 'VLLM_API_KEY',
        provider: 'vllm',
        tools: true,
        stream: false,
      },
      { id: 'llama', base_url: local.baseUrl, key_env: null, stream: false },
      {
        id: 'routed',
        base_url: local.baseUrl,
        key_env: 'ROUTER_API_KEY',
        provider: 'router',
        stream: false,
      },
    ]),
  });
});
afterAll(async () => {
  await local.close();
});

const api = useApi({ adminKeys: [adminKey], secretKey: 'cd'.repeat(32), pluginSettings });

interface ListedModel {
  readonly id: string;
  readonly [field: string]: unknown;
}

async function listed(): Promise<{ text: string; models: Map<string, ListedModel> }> {
  const response = await api().request('GET', '/v1/models', undefined, asAdmin);
  expect(response.status).toBe(200);
  const text = await response.text();
  const { data } = JSON.parse(text) as { data: ListedModel[] };
  return { text, models: new Map(data.map((model) => [model.id, model])) };
}

async function answer(model: string): Promise<Record<string, unknown>> {
  const response = await api().request(
    'POST',
    '/v1/prompts?wait=true',
    { model, prompt: 'where are you?' },
    asAdmin,
  );
  return (await response.json()) as Record<string, unknown>;
}

describe('GET /v1/models with models on several servers', () => {
  it('shows where each model lives, its API, tools and fallbacks, and never a key or credential', async () => {
    const { text, models } = await listed();
    expect(models.get('local-vision')).toMatchObject({
      provider: '127.0.0.1',
      endpoint: 'http://127.0.0.1:9/v1',
      api: 'chat',
      fallbacks: ['qwen'],
      needs_key: 'openai',
      key_env_var: 'OPENAI_API_KEY',
      available: true,
    });
    expect(models.get('qwen')).toMatchObject({
      provider: 'vllm',
      endpoint: local.baseUrl,
      api: 'chat',
      supports_tools: true,
      fallbacks: [],
      needs_key: 'vllm',
      key_env_var: 'VLLM_API_KEY',
      available: true,
    });
    expect(models.get('echo')).toMatchObject({
      provider: null,
      endpoint: null,
      api: null,
      fallbacks: [],
    });
    for (const secret of [
      'hunter2',
      'someone',
      'query-secret',
      'sk-openai-test-key',
      'vllm-env-key',
    ]) {
      expect(text).not.toContain(secret);
    }
  });

  it('shows an owner key no endpoint: the hosts behind the models are for admins', async () => {
    const created = await api().request('POST', '/v1/keys', { name: 'reader' }, asAdmin);
    expect(created.status).toBe(201);
    const { key } = (await created.json()) as { key: string };
    const response = await api().request('GET', '/v1/models', undefined, {
      authorization: `Bearer ${key}`,
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    const { data } = JSON.parse(text) as { data: ListedModel[] };
    expect(data.find((model) => model.id === 'qwen')).toMatchObject({
      provider: 'vllm',
      endpoint: null,
    });
    expect(data.every((model) => model.endpoint === null)).toBe(true);
    expect(text).not.toContain('127.0.0.1');
  });

  it('has a model that needs no key available, and runs it without one', async () => {
    const { models } = await listed();
    expect(models.get('llama')).toMatchObject({
      needs_key: null,
      key_env_var: null,
      available: true,
    });
    local.requests.length = 0;
    local.enqueue({ text: 'on the local server' });
    expect(await answer('llama')).toMatchObject({ status: 'succeeded' });
    expect(local.requests.map((request) => request.headers.authorization)).toEqual([undefined]);
  });

  it('runs a model with the key its own variable holds', async () => {
    local.requests.length = 0;
    local.enqueue({ text: 'vllm here' });
    expect(await answer('qwen')).toMatchObject({ status: 'succeeded' });
    expect(local.requests.map((request) => request.headers.authorization)).toEqual([
      'Bearer vllm-env-key-0123456789',
    ]);
  });

  it('stores a missing key under the provider’s name, after which the model runs with it', async () => {
    const before = (await listed()).models.get('routed');
    expect(before).toMatchObject({ needs_key: 'router', available: false });
    expect(before?.unavailable_reason).toContain('llmq provider-keys set router');
    expect(before?.unavailable_reason).toContain('ROUTER_API_KEY');
    const stored = await api().request(
      'PUT',
      '/v1/provider-keys/router',
      { key: storedRouterKey },
      asAdmin,
    );
    expect(stored.status).toBe(200);
    expect((await listed()).models.get('routed')).toMatchObject({ available: true });
    local.requests.length = 0;
    local.enqueue({ text: 'routed' });
    expect(await answer('routed')).toMatchObject({ status: 'succeeded' });
    expect(local.requests.map((request) => request.headers.authorization)).toEqual([
      `Bearer ${storedRouterKey}`,
    ]);
  });
});
