import { ModelRegistry, PluginError } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { registerModels } from './index.ts';
import { OpenAIChatModel } from './openai-chat-model.ts';
import { defaultOpenAIModels, openAIApiFor, parseOpenAISettings } from './openai-settings.ts';

describe('the API a model is called through', () => {
  it('is responses on OpenAI’s own server and chat on any other, unless configured', () => {
    expect(openAIApiFor({}, undefined)).toBe('responses');
    expect(openAIApiFor({}, 'https://api.openai.com/v1')).toBe('responses');
    expect(openAIApiFor({}, 'http://127.0.0.1:11434/v1')).toBe('chat');
    expect(openAIApiFor({ api: 'chat' }, undefined)).toBe('chat');
    expect(openAIApiFor({ api: 'responses' }, 'http://127.0.0.1:8000/v1')).toBe('responses');
  });

  it('keeps the audio preview on chat, the only API that takes audio', () => {
    const audio = defaultOpenAIModels.find((model) => model.id === 'gpt-4o-audio-preview');
    expect(audio?.api).toBe('chat');
    const registry = new ModelRegistry();
    registerModels(registry.register, { settings: { OPENAI_API_KEY: 'k' } });
    expect(String(registry.get('gpt-4o-audio-preview'))).toBe('OpenAI Chat: gpt-4o-audio-preview');
    expect(String(registry.get('gpt-4.1'))).toBe('OpenAI Responses: gpt-4.1');
  });

  it('offers PDFs to a vision model over Responses and no option Responses lacks', () => {
    const config = { id: 'gpt-4.1', vision: true };
    const responses = new OpenAIChatModel({ config, apiKey: 'k', baseUrl: undefined });
    const chat = new OpenAIChatModel({ config, apiKey: 'k', baseUrl: 'http://127.0.0.1:1/v1' });
    expect(responses.attachmentTypes.has('application/pdf')).toBe(true);
    expect(chat.attachmentTypes.has('application/pdf')).toBe(false);
    expect(responses.acceptedOptions).not.toContain('stop');
    expect(responses.acceptedOptions).toContain('max_tokens');
    expect(chat.acceptedOptions).toEqual(expect.arrayContaining(['stop', 'seed']));
  });

  it('refuses audio or chat-only options for a model on the Responses API', () => {
    const models = (entry: object) =>
      parseOpenAISettings({ LLMQ_OPENAI_MODELS: JSON.stringify([entry]) });
    expect(() => models({ id: 'a', audio: true, api: 'responses' })).toThrow(
      'LLMQ_OPENAI_MODELS[0].api: the Responses API takes no audio input; set "api": "chat" for a model with "audio"',
    );
    expect(() => models({ id: 'a', options: ['temperature', 'seed'], api: 'responses' })).toThrow(
      /\.api: the Responses API has no seed; set "api": "chat" to offer them/,
    );
    // Chosen by default (no base URL), the same is refused when the model is made.
    const config = { id: 'gpt-4.1', options: ['stop' as const] };
    expect(() => new OpenAIChatModel({ config, apiKey: 'k', baseUrl: undefined })).toThrow(
      PluginError,
    );
    expect(() => new OpenAIChatModel({ config, apiKey: 'k', baseUrl: undefined })).toThrow(
      'gpt-4.1: the Responses API has no stop; set "api": "chat" to offer them',
    );
  });
});
