import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PluginError } from '@llmq/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAIEndpointOf } from './openai-endpoint.ts';
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

  it('reads each model’s own server, key variable, provider, headers and fallbacks', () => {
    const settings = parseOpenAISettings({
      OPENAI_API_KEY: 'sk-openai',
      VLLM_API_KEY: 'vllm-key',
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'gpt-4o-mini', fallbacks: ['qwen'] },
        {
          id: 'qwen',
          base_url: 'http://127.0.0.1:8000/v1',
          key_env: 'VLLM_API_KEY',
          provider: 'vllm',
        },
        {
          id: 'claude-via-router',
          base_url: 'https://openrouter.ai/api/v1/',
          key_env: 'OPENROUTER_KEY',
          headers: { 'HTTP-Referer': 'https://llmq.example', 'X-Title': 'llmq' },
        },
        { id: 'llama3', base_url: 'http://localhost:11434/v1', key_env: null },
        { id: 'phi', base_url: 'http://localhost:11434/v1', needs_key: false },
      ]),
    });
    const where = settings.models.map((config) => openAIEndpointOf(config, settings.baseUrl));
    expect(
      where.map(({ provider, endpoint, keyVariable, keyName }) => [
        provider,
        endpoint,
        keyVariable,
        keyName,
      ]),
    ).toEqual([
      ['openai', 'https://api.openai.com/v1', 'OPENAI_API_KEY', 'openai'],
      ['vllm', 'http://127.0.0.1:8000/v1', 'VLLM_API_KEY', 'vllm'],
      ['openrouter.ai', 'https://openrouter.ai/api/v1', 'OPENROUTER_KEY', 'openrouter.ai'],
      ['localhost', 'http://localhost:11434/v1', undefined, undefined],
      ['localhost', 'http://localhost:11434/v1', undefined, undefined],
    ]);
    expect(where[2]?.headers).toEqual({
      'HTTP-Referer': 'https://llmq.example',
      'X-Title': 'llmq',
    });
    expect(settings.models[0]?.fallbacks).toEqual(['qwen']);
    // Only the variables the models name, and only when set: OPENROUTER_KEY is not.
    expect([...settings.keys]).toEqual([
      ['OPENAI_API_KEY', 'sk-openai'],
      ['VLLM_API_KEY', 'vllm-key'],
    ]);
  });

  it('calls a model without a base URL of its own at OPENAI_BASE_URL, with OpenAI’s key', () => {
    const settings = parseOpenAISettings({
      OPENAI_BASE_URL: 'http://user:secret@127.0.0.1:4000/v1?token=t',
      LLMQ_OPENAI_MODELS: '[{"id":"proxied"}]',
    });
    expect(openAIEndpointOf(settings.models[0] ?? {}, settings.baseUrl)).toMatchObject({
      baseUrl: 'http://user:secret@127.0.0.1:4000/v1?token=t',
      // Shown without what may be a credential.
      endpoint: 'http://127.0.0.1:4000/v1',
      provider: '127.0.0.1',
      keyVariable: 'OPENAI_API_KEY',
      keyName: 'openai',
    });
  });

  it('refuses a wrong endpoint, naming the entry and the field', () => {
    const models = (...entries: object[]) =>
      parseOpenAISettings({ LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'first' }, ...entries]) });
    const local = 'http://127.0.0.1:8000/v1';
    expect(() => models({ id: 'a', base_url: 'ftp://x/v1', key_env: null })).toThrow(
      /^LLMQ_OPENAI_MODELS\[1\]\.base_url: an http\(s\) URL/,
    );
    expect(() => models({ id: 'a', base_url: 'http://u:p@127.0.0.1/v1', key_env: null })).toThrow(
      /LLMQ_OPENAI_MODELS\[1\]\.base_url: a base URL holds no user, password or query/,
    );
    expect(() => models({ id: 'a', base_url: `${local}?key=k`, key_env: null })).toThrow(
      /\[1\]\.base_url: a base URL holds no user, password or query/,
    );
    expect(() => models({ id: 'a', base_url: local })).toThrow(
      /LLMQ_OPENAI_MODELS\[1\]\.key_env: a model with its own base_url names the variable of its key/,
    );
    expect(() => models({ id: 'a', base_url: local, key_env: 'lower-case' })).toThrow(
      /\[1\]\.key_env: a variable name/,
    );
    expect(() => models({ id: 'a', needs_key: false, key_env: 'X_KEY' })).toThrow(
      /\[1\]\.key_env: a model with "needs_key": false has no key variable/,
    );
    expect(() => models({ id: 'a', needs_key: true, key_env: null })).toThrow(/\[1\]\.needs_key/);
    expect(() => models({ id: 'a', provider: 'My Server' })).toThrow(
      /\[1\]\.provider: lower-case letters/,
    );
    expect(() => models({ id: 'a', base_url: 'http://[::1]:8000/v1', key_env: 'K' })).toThrow(
      /\[1\]\.provider: its key needs a provider name/,
    );
    expect(() => models({ id: 'a', headers: { Authorization: 'Bearer k' } })).toThrow(
      /\[1\]\.headers\.Authorization: a key goes in the variable key_env names/,
    );
    expect(() => models({ id: 'a', headers: { 'X-Title': 'two\nlines' } })).toThrow(
      /\[1\]\.headers\.X-Title: printable ASCII on one line/,
    );
    expect(() => models({ id: 'a', aliases: ['b'], fallbacks: ['b'] })).toThrow(
      /\[1\]\.fallbacks\[0\]: b is this model/,
    );
    // A stored key is found by name: one name, one variable.
    expect(() =>
      models(
        { id: 'a', base_url: local, key_env: 'A_KEY', provider: 'vllm' },
        { id: 'b', base_url: 'http://127.0.0.1:8001/v1', key_env: 'B_KEY', provider: 'vllm' },
      ),
    ).toThrow(
      'b reads its vllm key from B_KEY, a from A_KEY: give them different "provider" names',
    );
  });

  describe('LLMQ_OPENAI_MODELS_FILE', () => {
    let folder: string;
    beforeAll(async () => {
      folder = await mkdtemp(join(tmpdir(), 'llmq-openai-models-'));
    });
    afterAll(async () => {
      await rm(folder, { recursive: true, force: true });
    });

    it('reads the model list from a JSON file', async () => {
      const path = join(folder, 'models.json');
      await writeFile(
        path,
        JSON.stringify([{ id: 'llama3', base_url: 'http://127.0.0.1:11434/v1', key_env: null }]),
      );
      const settings = parseOpenAISettings({ LLMQ_OPENAI_MODELS_FILE: path });
      expect(settings.models.map((model) => model.id)).toEqual(['llama3']);
    });

    it('names the file, the entry and the field when the list is wrong', async () => {
      const path = join(folder, 'wrong.json');
      await writeFile(path, JSON.stringify([{ id: 'a' }, { id: 'b', base_url: 'http://x/v1' }]));
      expect(() => parseOpenAISettings({ LLMQ_OPENAI_MODELS_FILE: path })).toThrow(
        `LLMQ_OPENAI_MODELS_FILE (${path})[1].key_env: a model with its own base_url`,
      );
      const broken = join(folder, 'broken.json');
      await writeFile(broken, '[{"id":');
      expect(() => parseOpenAISettings({ LLMQ_OPENAI_MODELS_FILE: broken })).toThrow(
        `LLMQ_OPENAI_MODELS_FILE (${broken}) is not valid JSON`,
      );
    });

    it('refuses a missing file, a YAML file, and a list given twice', () => {
      const missing = join(folder, 'missing.json');
      expect(() => parseOpenAISettings({ LLMQ_OPENAI_MODELS_FILE: missing })).toThrow(
        `LLMQ_OPENAI_MODELS_FILE (${missing}) cannot be read: ENOENT`,
      );
      expect(() =>
        parseOpenAISettings({ LLMQ_OPENAI_MODELS_FILE: join(folder, 'models.yaml') }),
      ).toThrow(/give a JSON file/);
      expect(() =>
        parseOpenAISettings({
          LLMQ_OPENAI_MODELS: '[{"id":"a"}]',
          LLMQ_OPENAI_MODELS_FILE: join(folder, 'models.json'),
        }),
      ).toThrow('LLMQ_OPENAI_MODELS and LLMQ_OPENAI_MODELS_FILE are both set');
    });
  });
});
