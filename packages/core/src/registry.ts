import { PluginError, UnknownModelError } from './errors.ts';
import type { AsyncModel } from './model.ts';
import { optionsJsonSchema } from './options.ts';
import { type RegisterTool, ToolRegistry } from './tool-registry.ts';

export interface RegisterOptions {
  readonly aliases?: readonly string[] | undefined;
}

export type Register = (model: AsyncModel, options?: RegisterOptions) => void;

/** What a plugin is given: the settings (environment) its app passes on. */
export interface PluginContext {
  readonly settings: Readonly<Record<string, string | undefined>>;
}

/**
 * A plugin module, like an llm plugin's `register_models` and `register_tools` hooks; it exports
 * either or both.
 */
export interface Plugin {
  registerModels?(register: Register, context: PluginContext): void | Promise<void>;
  registerTools?(register: RegisterTool, context: PluginContext): void | Promise<void>;
}

export interface ModelListing {
  readonly id: string;
  readonly aliases: readonly string[];
  readonly canStream: boolean;
  readonly supportsSchema: boolean;
  readonly supportsTools: boolean;
  readonly attachmentTypes: readonly string[];
  /** The options as JSON Schema. */
  readonly options: Record<string, unknown>;
  readonly needsKey: string | null;
  readonly keyEnvVar: string | null;
}

interface Entry {
  readonly model: AsyncModel;
  readonly aliases: readonly string[];
}

/**
 * The registered models, found by id or by alias (aliases case-insensitively), and beside them
 * the tools the same plugins registered: one registry is what `loadPlugins` gives an app.
 */
export class ModelRegistry {
  readonly tools = new ToolRegistry();
  readonly #byId = new Map<string, Entry>();
  readonly #byAlias = new Map<string, Entry>();

  /** Register a model; a second model with a taken id or alias is refused. */
  readonly register: Register = (model, options = {}) => {
    const aliases = [...(options.aliases ?? [])];
    if (this.#byId.has(model.modelId) || this.#byAlias.has(model.modelId.toLowerCase())) {
      throw new PluginError(model.modelId, `Model ${model.modelId} is already registered`);
    }
    for (const alias of aliases) {
      const key = alias.toLowerCase();
      if (this.#byAlias.has(key) || this.#byId.has(alias)) {
        throw new PluginError(model.modelId, `Alias ${alias} of ${model.modelId} is already taken`);
      }
    }
    const entry: Entry = { model, aliases };
    this.#byId.set(model.modelId, entry);
    for (const alias of aliases) this.#byAlias.set(alias.toLowerCase(), entry);
  };

  /** The model with this id or alias; `UnknownModelError("Unknown model: X")` otherwise. */
  get(name: string): AsyncModel {
    const entry = this.#byId.get(name) ?? this.#byAlias.get(name.toLowerCase());
    if (!entry) throw new UnknownModelError(name);
    return entry.model;
  }

  has(name: string): boolean {
    return this.#byId.has(name) || this.#byAlias.has(name.toLowerCase());
  }

  models(): AsyncModel[] {
    return [...this.#byId.values()].map((entry) => entry.model);
  }

  list(): ModelListing[] {
    return [...this.#byId.values()].map(({ model, aliases }) => ({
      id: model.modelId,
      aliases,
      canStream: model.canStream,
      supportsSchema: model.supportsSchema,
      supportsTools: model.supportsTools,
      attachmentTypes: [...model.attachmentTypes],
      options: optionsJsonSchema(model.optionsSchema),
      needsKey: model.needsKey ?? null,
      keyEnvVar: model.keyEnvVar ?? null,
    }));
  }

  /** Run one plugin's registrations, models first; a failure is a `PluginError` naming it. */
  async use(name: string, plugin: Plugin, context: PluginContext): Promise<void> {
    const registerModels = plugin?.registerModels;
    const registerTools = plugin?.registerTools;
    if (typeof registerModels !== 'function' && typeof registerTools !== 'function') {
      throw new PluginError(
        name,
        `Plugin ${name} exports neither registerModels(register) nor registerTools(register)`,
      );
    }
    if (typeof registerModels === 'function') {
      await registering(name, 'models', () => registerModels.call(plugin, this.register, context));
    }
    if (typeof registerTools === 'function') {
      const register = this.tools.registerFor(name);
      await registering(name, 'tools', () => registerTools.call(plugin, register, context));
    }
  }
}

/** Imports a plugin by package name; the app supplies it so names resolve from the app. */
export type PluginImporter = (name: string) => Promise<unknown>;

/** Load the plugins named in configuration into a new registry. */
export async function loadPlugins(
  names: readonly string[],
  context: PluginContext,
  importPlugin: PluginImporter,
): Promise<ModelRegistry> {
  const registry = new ModelRegistry();
  for (const name of names) {
    let plugin: unknown;
    try {
      plugin = await importPlugin(name);
    } catch (error) {
      throw new PluginError(name, `Could not load plugin ${name}: ${messageOf(error)}`, error);
    }
    await registry.use(name, plugin as Plugin, context);
  }
  return registry;
}

/** Run a registration hook, naming the plugin in whatever it throws. */
async function registering(
  name: string,
  what: 'models' | 'tools',
  hook: () => void | Promise<void>,
): Promise<void> {
  try {
    await hook();
  } catch (error) {
    if (error instanceof PluginError) throw error;
    throw new PluginError(
      name,
      `Plugin ${name} failed to register its ${what}: ${messageOf(error)}`,
      error,
    );
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
