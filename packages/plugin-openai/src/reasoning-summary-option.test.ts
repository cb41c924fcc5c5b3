import { ModelRegistry, OptionsError } from '@llmq/core';
import { type OpenAICompatibleServer, startOpenAICompatibleServer } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';
import { OpenAIChatModel } from './openai-chat-model.ts';
import { defaultOpenAIModels, parseOpenAISettings } from './openai-settings.ts';

let server: OpenAICompatibleServer;
let registry: ModelRegistry;

beforeAll(async () => {
  server = await startOpenAICompatibleServer();
  registry = new ModelRegistry();
  registerModels(registry.register, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: server.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'o4', model: 'o4-mini', reasoning: true, api: 'responses' },
      ]),
    },
  });
});

afterAll(async () => {
  await server.close();
});

describe('the reasoning_summary option', () => {
  it('is offered to every reasoning model over Responses, its configured options or not', () => {
    const gpt5 = defaultOpenAIModels.find((model) => model.id === 'gpt-5');
    const o3 = defaultOpenAIModels.find((model) => model.id === 'o3');
    for (const config of [gpt5, o3]) {
      if (!config) throw new Error('a default model is missing');
      const model = new OpenAIChatModel({ config, apiKey: 'k', baseUrl: undefined });
      expect(model.acceptedOptions).toContain('reasoning_summary');
    }
    const chatModel = new OpenAIChatModel({
      config: { id: 'gpt-4.1' },
      apiKey: 'k',
      baseUrl: undefined,
    });
    expect(chatModel.acceptedOptions).not.toContain('reasoning_summary');
  });

  it('is not offered over Chat Completions, which has no such field, and is refused if listed', () => {
    const config = { id: 'r1', reasoning: true };
    const overChat = new OpenAIChatModel({ config, apiKey: 'k', baseUrl: 'http://127.0.0.1:1/v1' });
    expect(overChat.acceptedOptions).not.toContain('reasoning_summary');
    expect(() =>
      parseOpenAISettings({
        LLMQ_OPENAI_MODELS: JSON.stringify([
          { ...config, api: 'chat', options: ['reasoning_summary'] },
        ]),
      }),
    ).toThrow(/\.api: Chat Completions has no reasoning_summary; set "api": "responses"/);
    expect(() =>
      parseOpenAISettings({
        LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'plain', options: ['reasoning_summary'] }]),
      }),
    ).toThrow(/reasoning_summary is for reasoning models only/);
  });

  it('asks no summary with none, and the model still answers', async () => {
    const response = await registry
      .get('o4')
      .prompt('Why?', { options: { reasoning_summary: 'none' } });
    expect(response.text()).toBe('ok');
    const body = server.requests.at(-1)?.body as Record<string, unknown>;
    expect(body.reasoning).toEqual({});
    expect(body.include).toEqual(['reasoning.encrypted_content']);
  });

  it('refuses a value OpenAI does not define', () => {
    expect(() =>
      registry.get('o4').prompt('Why?', { options: { reasoning_summary: 'verbose' } }),
    ).toThrow(OptionsError);
  });
});
