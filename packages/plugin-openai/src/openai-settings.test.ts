import { PluginError } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { defaultOpenAIModels, parseOpenAISettings } from './openai-settings.ts';

describe('parseOpenAISettings', () => {
  it('uses the default model list when none is configured', () => {
    const settings = parseOpenAISettings({ OPENAI_API_KEY: 'k' });
    expect(settings.models).toBe(defaultOpenAIModels);
    expect(settings.apiKey).toBe('k');
    expect(settings.baseUrl).toBeUndefined();
  });

  it('reads models from LLMQ_OPENAI_MODELS with defaults for each field', () => {
    const settings = parseOpenAISettings({
      LLMQ_OPENAI_MODELS: '[{"id":"llama3","aliases":["l3"]}]',
    });
    expect(settings.models).toEqual([
      { id: 'llama3', aliases: ['l3'], vision: false, audio: false, stream: true },
    ]);
  });

  it('names the setting and the expected shape when the model list is wrong', () => {
    expect(() => parseOpenAISettings({ LLMQ_OPENAI_MODELS: 'llama3' })).toThrow(
      /LLMQ_OPENAI_MODELS is not valid JSON/,
    );
    expect(() => parseOpenAISettings({ LLMQ_OPENAI_MODELS: '[{"id":"x","vison":true}]' })).toThrow(
      PluginError,
    );
    expect(() => parseOpenAISettings({ LLMQ_OPENAI_MODELS: '[]' })).toThrow(/LLMQ_OPENAI_MODELS/);
  });

  it('refuses a base URL that is not http(s)', () => {
    expect(() => parseOpenAISettings({ OPENAI_BASE_URL: 'ftp://x' })).toThrow(/OPENAI_BASE_URL/);
  });
});
