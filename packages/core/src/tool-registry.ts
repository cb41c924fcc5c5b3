import { PluginError, UnknownToolError } from './errors.ts';
import { type Tool, type ToolDefinition, toolDefinition } from './tool.ts';
import { toolHash } from './tool-hash.ts';
import { validateTool } from './tool-validation.ts';

/** What a plugin's `registerTools` is given: registers one tool, refusing a taken name. */
export type RegisterTool = (tool: Tool) => void;

export interface ToolListing extends ToolDefinition {
  /** The plugin that registered it. */
  readonly plugin: string;
  /** llm's `Tool.hash()` of the definition with its plugin. */
  readonly hash: string;
  /** Whether the workers can run it; false for a tool that only a client answers. */
  readonly runsOnServer: boolean;
}

interface Entry {
  readonly tool: Tool;
  readonly plugin: string;
}

/** The tools plugins registered, found by name (names are case-sensitive, as providers treat them). */
export class ToolRegistry {
  readonly #byName = new Map<string, Entry>();

  /**
   * The register function for one plugin: each tool is checked, and a name another plugin (or
   * this one) already took is refused with a `PluginError` naming both.
   */
  registerFor(plugin: string): RegisterTool {
    return (tool) => {
      validateTool(tool);
      const taken = this.#byName.get(tool.name);
      if (taken) {
        throw new PluginError(
          plugin,
          `Tool ${tool.name} of plugin ${plugin} is already registered by plugin ${taken.plugin}`,
        );
      }
      this.#byName.set(tool.name, { tool, plugin });
    };
  }

  /** The tool with this name; `UnknownToolError("Unknown tool: X")` otherwise. */
  get(name: string): Tool {
    const entry = this.#byName.get(name);
    if (!entry) throw new UnknownToolError(name);
    return entry.tool;
  }

  has(name: string): boolean {
    return this.#byName.has(name);
  }

  /** The plugin that registered the named tool, or undefined. */
  pluginOf(name: string): string | undefined {
    return this.#byName.get(name)?.plugin;
  }

  tools(): Tool[] {
    return [...this.#byName.values()].map((entry) => entry.tool);
  }

  list(): ToolListing[] {
    return [...this.#byName.values()].map(({ tool, plugin }) => ({
      ...toolDefinition(tool),
      plugin,
      hash: toolHash(tool, plugin),
      runsOnServer: typeof tool.implementation === 'function',
    }));
  }
}
