import { describe, expect, it } from 'vitest';
import { PluginError, ToolDefinitionError, UnknownToolError } from './errors.ts';
import { MockModel } from './mock-model.fixture.ts';
import { loadPlugins, type Plugin } from './registry.ts';
import type { Tool } from './tool.ts';
import { toolHash } from './tool-hash.ts';
import { ToolRegistry } from './tool-registry.ts';

const context = { settings: {} };

const add: Tool = {
  name: 'add',
  description: 'Add two numbers',
  inputSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
  implementation: ({ a, b }) => Number(a) + Number(b),
};
const pick: Tool = { name: 'pick_file', inputSchema: { type: 'object' } };

describe('ToolRegistry', () => {
  it('finds a tool by name and lists it with its plugin, hash and where it runs', () => {
    const registry = new ToolRegistry();
    registry.registerFor('math')(add);
    registry.registerFor('client')(pick);
    expect(registry.get('add')).toBe(add);
    expect(registry.has('pick_file')).toBe(true);
    expect(registry.pluginOf('add')).toBe('math');
    expect(registry.list()).toEqual([
      {
        name: 'add',
        description: 'Add two numbers',
        inputSchema: add.inputSchema,
        plugin: 'math',
        hash: toolHash(add, 'math'),
        runsOnServer: true,
      },
      {
        name: 'pick_file',
        inputSchema: { type: 'object' },
        plugin: 'client',
        hash: toolHash(pick, 'client'),
        runsOnServer: false,
      },
    ]);
  });

  it('raises UnknownToolError("Unknown tool: X") for a name nobody registered', () => {
    expect(() => new ToolRegistry().get('nope')).toThrow(new UnknownToolError('nope'));
  });

  it('refuses a taken name, naming both plugins', () => {
    const registry = new ToolRegistry();
    registry.registerFor('first')(add);
    const error = (() => {
      try {
        registry.registerFor('second')({ ...add, description: 'another add' });
      } catch (thrown) {
        return thrown;
      }
    })();
    expect(error).toBeInstanceOf(PluginError);
    expect((error as PluginError).plugin).toBe('second');
    expect((error as PluginError).message).toBe(
      'Tool add of plugin second is already registered by plugin first',
    );
    expect(registry.get('add')).toBe(add);
  });

  it('refuses a bad name', () => {
    expect(() => new ToolRegistry().registerFor('p')({ name: 'a b', inputSchema: {} })).toThrow(
      ToolDefinitionError,
    );
  });
});

describe('loadPlugins with registerTools', () => {
  it("registers each plugin's models and tools, passing the settings", async () => {
    const plugins: Record<string, Plugin> = {
      'models-and-tools': {
        registerModels(register) {
          register(new MockModel('mock'));
        },
        registerTools(register, { settings }) {
          register({ ...add, description: settings.ADD_DESCRIPTION });
        },
      },
      'tools-only': {
        registerTools(register) {
          register(pick);
        },
      },
    };
    const registry = await loadPlugins(
      Object.keys(plugins),
      { settings: { ADD_DESCRIPTION: 'Adds' } },
      async (name) => plugins[name],
    );
    expect(registry.get('mock').modelId).toBe('mock');
    expect(registry.tools.get('add').description).toBe('Adds');
    expect(registry.tools.pluginOf('add')).toBe('models-and-tools');
    expect(registry.tools.pluginOf('pick_file')).toBe('tools-only');
  });

  it('refuses a tool name two plugins register, naming both', async () => {
    const plugin: Plugin = {
      registerTools(register) {
        register(add);
      },
    };
    await expect(loadPlugins(['one', 'two'], context, async () => plugin)).rejects.toThrow(
      new PluginError('two', 'Tool add of plugin two is already registered by plugin one'),
    );
  });

  it('names a plugin whose tool registration throws', async () => {
    const plugin: Plugin = {
      registerTools(register) {
        register({ name: 'bad name', inputSchema: {} });
      },
    };
    const error = await loadPlugins(['broken'], context, async () => plugin).catch((e) => e);
    expect(error).toBeInstanceOf(PluginError);
    expect(error.plugin).toBe('broken');
    expect(error.message).toMatch(/^Plugin broken failed to register its tools: Invalid tool name/);
    expect(error.cause).toBeInstanceOf(ToolDefinitionError);
  });
});
