import type { Tool, ToolCall, ToolResult } from '@llmq/core';
import type { StoredTool } from '@llmq/db';
import { runTool } from '../tools/run-tool.ts';
import type { ToolCatalogue } from '../tools/tool-catalogue.ts';
import type { ToolLimits } from '../tools/tool-limits.ts';

// The tools a chain's prompt offered: how the model sees them, whose each call is, and how the
// workers run theirs.

/** A stored tool as the model is offered it. */
export function definitionOf(tool: StoredTool): Tool {
  return tool.description === undefined
    ? { name: tool.name, inputSchema: tool.input_schema }
    : { name: tool.name, description: tool.description, inputSchema: tool.input_schema };
}

/** The tool the prompt offered under this call's name, if it offered one. */
export function offeredTool(
  offered: readonly StoredTool[],
  call: ToolCall,
): StoredTool | undefined {
  return offered.find((tool) => tool.name === call.name);
}

/**
 * Whether the client answers this call: one of its own tools. Every other call is the
 * workers' (one to a tool the prompt did not offer gets an error result, as in llm).
 */
export function isClientCall(offered: readonly StoredTool[], call: ToolCall): boolean {
  return offeredTool(offered, call)?.runs_on_server === false;
}

/**
 * Run a server tool's call. A call the model made to a tool it was not offered, or one the
 * server no longer has, gets an error result (the model is told, as llm tells it).
 */
export async function runServerTool(
  catalogue: ToolCatalogue,
  offered: StoredTool | undefined,
  call: ToolCall,
  context: { readonly signal: AbortSignal; readonly attempt: number; readonly limits: ToolLimits },
): Promise<ToolResult> {
  const entry = offered?.runs_on_server ? catalogue.find(call.name) : undefined;
  if (!entry) {
    const message = offered
      ? `Tool ${call.name} is no longer on this server`
      : `Tool ${call.name} was not offered to the model`;
    return {
      toolCallId: call.id,
      name: call.name,
      output: `Error: ${message}`,
      exception: `UnknownToolError: ${message}`,
    };
  }
  return runTool(entry.tool, call, context);
}
