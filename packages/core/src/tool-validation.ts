import { ToolDefinitionError } from './errors.ts';
import type { ToolDefinition } from './tool.ts';

/** OpenAI's rule for function names, the strictest of the providers llm speaks to. */
export const toolNamePattern = /^[a-zA-Z0-9_-]{1,64}$/;

/** Refuse a tool a model could not be given: a bad name or an input schema that is no object. */
export function validateTool(tool: ToolDefinition): void {
  const name: unknown = tool?.name;
  if (typeof name !== 'string' || !toolNamePattern.test(name)) {
    const shown = typeof name === 'string' ? name : String(name);
    throw new ToolDefinitionError(
      shown,
      `Invalid tool name ${JSON.stringify(shown)}: 1 to 64 letters, digits, _ or -`,
    );
  }
  const schema: unknown = tool.inputSchema;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) {
    throw new ToolDefinitionError(name, `Tool ${name}: its input schema must be a JSON object`);
  }
}

/** Refuse a prompt's tools when any is invalid or two share a name (the model could not tell). */
export function validateTools(tools: readonly ToolDefinition[]): void {
  const seen = new Set<string>();
  for (const tool of tools) {
    validateTool(tool);
    if (seen.has(tool.name)) {
      throw new ToolDefinitionError(tool.name, `Two tools are named ${tool.name}`);
    }
    seen.add(tool.name);
  }
}
