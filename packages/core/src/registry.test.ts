import { describe, expect, it } from 'vitest';
import { PluginError, UnknownModelError } from './errors.ts';
import { MockModel } from './mock-model.fixture.ts';
import { loadPlugins, ModelRegistry, type Plugin } from './registry.ts';

const context = { settings: {} };

describe('ModelRegistry', () => {
  it('finds a model by id, or by alias case-insensitively', () => {
    const registry = new ModelRegistry();
    const model = new MockModel('mock-large');
    registry.register(model, { aliases: ['Big'] });
    expect(registry.get('mock-large')).toBe(model);
    expect(registry.get('Big')).toBe(model);
    expect(registry.get('BIG')).toBe(model);
    expect(registry.get('big')).toBe(model);
  });

  it('raises UnknownModelError("Unknown model: X") for anything else', () => {
    const registry = new ModelRegistry();
    expect(() => registry.get('nope')).toThrow(new UnknownModelError('nope'));
    expect(() => registry.get('nope')).toThrow('Unknown model: nope');
  });

  it('refuses a second model with a taken id or alias', () => {
    const registry = new ModelRegistry();
    registry.register(new MockModel('a'), { aliases: ['x'] });
    expect(() => registry.register(new MockModel('a'))).toThrow(PluginError);
    expect(() => registry.register(new MockModel('b'), { aliases: ['X'] })).toThrow(
      /already taken/,
    );
  });

  it('lists id, aliases, streaming, attachment types and options as JSON Schema', () => {
    const registry = new ModelRegistry();
    registry.register(new MockModel('mock', ['image/png']), { aliases: ['m'] });
    expect(registry.list()).toEqual([
      {
        id: 'mock',
        aliases: ['m'],
        canStream: true,
        supportsSchema: false,
        supportsTools: false,
        attachmentTypes: ['image/png'],
        options: expect.objectContaining({ type: 'object', additionalProperties: false }),
        needsKey: null,
        keyEnvVar: null,
      },
    ]);
  });
});

describe('loadPlugins', () => {
  const plugin: Plugin = {
    registerModels(register, { settings }) {
      register(new MockModel(settings.MOCK_ID ?? 'mock'), { aliases: ['m'] });
    },
  };

  it('registers the models of each named plugin, passing the settings', async () => {
    const registry = await loadPlugins(
      ['mock-plugin'],
      { settings: { MOCK_ID: 'mocky' } },
      async () => plugin,
    );
    expect(registry.get('m').modelId).toBe('mocky');
  });

  it('names a plugin that cannot be imported', async () => {
    const importer = async (name: string) => import(name);
    await expect(loadPlugins(['@llmq/plugin-missing'], context, importer)).rejects.toThrow(
      /Could not load plugin @llmq\/plugin-missing/,
    );
  });

  it('names a module that is not a plugin', async () => {
    await expect(loadPlugins(['not-a-plugin'], context, async () => ({}))).rejects.toThrow(
      'Plugin not-a-plugin exports neither registerModels(register) nor registerTools(register)',
    );
  });

  it('names a plugin whose registration throws', async () => {
    const broken: Plugin = {
      registerModels() {
        throw new Error('missing setting');
      },
    };
    const error = await loadPlugins(['broken'], context, async () => broken).catch((e) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect(error.plugin).toBe('broken');
    expect(error.message).toBe('Plugin broken failed to register its models: missing setting');
  });
});
