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
      {
        id: 'llama3',
        aliases: ['l3'],
        vision: false,
        audio: false,
        stream: true,
        schemas: false,
        tools: false,
        reasoning: false,
      },
    ]);
  });

  it('reads schema support, reasoning and the accepted options of each model', () => {
    const settings = parseOpenAISettings({
      LLMQ_OPENAI_MODELS: JSON.stringify([
        {
          id: 'r1',
          model: 'deepseek-r1',
          reasoning: true,
          schemas: true,
          options: ['max_completion_tokens', 'temperature'],
        },
      ]),
    });
    expect(settings.models[0]).toMatchObject({
      reasoning: true,
      schemas: true,
      options: ['max_completion_tokens', 'temperature'],
    });
  });

  it('marks today’s reasoning models and the models with structured outputs by default', () => {
    const byId = new Map(defaultOpenAIModels.map((model) => [model.id, model]));
    for (const id of ['gpt-5', 'gpt-5-mini', 'gpt-5-nano', 'o3', 'o3-mini', 'o4-mini']) {
      expect(byId.get(id)).toMatchObject({ reasoning: true, schemas: true });
      expect(byId.get(id)?.options ?? []).not.toContain('max_tokens');
    }
    for (const id of ['gpt-4o', 'gpt-4o-mini', 'gpt-4.1', 'gpt-4.1-mini', 'gpt-4.1-nano']) {
      expect(byId.get(id)).toMatchObject({ reasoning: false, schemas: true });
    }
    expect(byId.get('gpt-5')?.options).toContain('verbosity');
    for (const model of defaultOpenAIModels) {
      expect([model.id, model.tools]).toEqual([model.id, model.id !== 'gpt-4o-audio-preview']);
    }
    expect(byId.get('o3')?.options).toBeUndefined();
  });

  it('refuses max_tokens for a reasoning model and reasoning options for a chat model', () => {
    const models = (entry: object) =>
      parseOpenAISettings({ LLMQ_OPENAI_MODELS: JSON.stringify([entry]) });
    expect(() => models({ id: 'o9', reasoning: true, options: ['max_tokens'] })).toThrow(
      'LLMQ_OPENAI_MODELS[0].options: a reasoning model rejects max_tokens; list max_completion_tokens instead',
    );
    expect(() => models({ id: 'llama3', options: ['reasoning_effort'] })).toThrow(
      /LLMQ_OPENAI_MODELS\[0\]\.options: reasoning_effort is for reasoning models only/,
    );
    expect(() => models({ id: 'llama3', options: ['strict_schema'] })).toThrow(
      /LLMQ_OPENAI_MODELS\[0\]\.options: strict_schema is for models with structured outputs/,
    );
    expect(() => models({ id: 'llama3', options: ['tool_choice'] })).toThrow(
      /LLMQ_OPENAI_MODELS\[0\]\.options: tool_choice is for models with tools; set "tools": true/,
    );
    expect(() => models({ id: 'llama3', options: ['temprature'] })).toThrow(
      /LLMQ_OPENAI_MODELS\[0\]\.options\[0\]: .*options from: temperature, max_tokens/,
    );
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
