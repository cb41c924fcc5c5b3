import { toolNamePattern } from '@llmq/core';
import type { Logger } from 'pino';
import { type McpServerConfig, openMcpToolSource } from './mcp-tool-source.ts';
import type { ToolCatalogue } from './tool-catalogue.ts';

/**
 * Connect to every configured MCP server at once and add its tools to the catalogue as
 * `mcp:<name>`. The start fails if any server cannot be reached or offers a name already taken;
 * the connections opened by then are closed first.
 */
export async function openMcpToolSources(
  servers: readonly McpServerConfig[],
  catalogue: ToolCatalogue,
  logger: Logger,
): Promise<{ close(): Promise<void> }> {
  const settled = await Promise.allSettled(servers.map((server) => openMcpToolSource(server)));
  const sources = settled.flatMap((outcome) =>
    outcome.status === 'fulfilled' ? [outcome.value] : [],
  );
  const close = async () => {
    await Promise.all(sources.map((source) => source.close()));
  };
  try {
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    for (const source of sources) {
      // MCP allows names no provider takes (dots, say): such a tool is left out, not the start.
      const usable = source.tools.filter((tool) => toolNamePattern.test(tool.name));
      const skipped = source.tools.filter((tool) => !toolNamePattern.test(tool.name));
      if (skipped.length > 0) {
        logger.warn(
          { mcpServer: source.name, tools: skipped.map((tool) => tool.name) },
          'MCP tools left out: their names are not 1 to 64 letters, digits, _ or -',
        );
      }
      catalogue.add(`mcp:${source.name}`, usable);
      logger.info(
        { mcpServer: source.name, tools: usable.map((tool) => tool.name) },
        'MCP server tools loaded',
      );
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { close };
}
