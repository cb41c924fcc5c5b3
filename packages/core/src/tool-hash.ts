import { createHash } from 'node:crypto';
import { pythonJsonDumps } from './python-json.ts';
import type { ToolDefinition } from './tool.ts';

/**
 * The sha256 hex of a tool's definition, as llm's `Tool.hash()` computes it: Python's
 * `json.dumps({"name", "description", "input_schema"[, "plugin"]})` with its default separators
 * and key order preserved, so a tool's hash agrees with llm's for the same definition.
 */
export function toolHash(tool: ToolDefinition, plugin?: string): string {
  const hashed: Record<string, unknown> = {
    name: tool.name,
    description: tool.description ?? null,
    input_schema: tool.inputSchema,
  };
  if (plugin) hashed.plugin = plugin;
  return createHash('sha256').update(pythonJsonDumps(hashed), 'utf8').digest('hex');
}
