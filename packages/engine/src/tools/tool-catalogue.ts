import { PluginError, type Tool, type ToolRegistry, toolHash, validateTool } from '@llmq/core';

/** A tool the workers can run, with where it came from. */
export interface CatalogueEntry {
  readonly tool: Tool;
  /** `plugin:<name>` for a plugin's tool, `mcp:<server>` for an MCP server's. */
  readonly source: string;
  /** llm's `Tool.hash()` of the definition with its source. */
  readonly hash: string;
}

/**
 * Every tool the server can run, by name: the plugins' (`registerTools`) and those of other
 * sources (MCP servers) added at start. A name is served by one source only; a second source
 * offering it is refused at start, naming both.
 */
export class ToolCatalogue {
  readonly #plugins: ToolRegistry;
  readonly #added = new Map<string, CatalogueEntry>();

  constructor(plugins: ToolRegistry) {
    this.#plugins = plugins;
  }

  /** Add a source's tools (`mcp:<server>`); a name already taken is a `PluginError`. */
  add(source: string, tools: readonly Tool[]): void {
    for (const tool of tools) {
      validateTool(tool);
      const taken = this.find(tool.name);
      if (taken) {
        throw new PluginError(
          source,
          `Tool ${tool.name} of ${source} is already offered by ${taken.source}`,
        );
      }
      this.#added.set(tool.name, { tool, source, hash: toolHash(tool, source) });
    }
  }

  /** The tool with this name, or undefined. */
  find(name: string): CatalogueEntry | undefined {
    const added = this.#added.get(name);
    if (added) return added;
    if (!this.#plugins.has(name)) return undefined;
    const plugin = this.#plugins.pluginOf(name) as string;
    const tool = this.#plugins.get(name);
    return { tool, source: `plugin:${plugin}`, hash: toolHash(tool, plugin) };
  }

  /** Every tool, plugins' first, each source's in the order it gave them. */
  list(): CatalogueEntry[] {
    const fromPlugins = this.#plugins.tools().map((tool) => this.find(tool.name) as CatalogueEntry);
    return [...fromPlugins, ...this.#added.values()];
  }
}
