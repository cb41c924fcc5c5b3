import type { Tool } from '@llmq/core';
import type { ValidateFunction } from 'ajv';
import { compileJsonSchema, describeErrors } from '../schemas/compile-json-schema.ts';

// Compiled once per tool object: plugins' and MCP servers' tools live as long as the process.
const validators = new WeakMap<Tool, ValidateFunction>();

/**
 * Why a call's arguments do not match the tool's input schema, or undefined when they do. A
 * schema that does not compile checks nothing (the tool's own code judges its arguments).
 */
export function argumentsMismatch(tool: Tool, values: Record<string, unknown>): string | undefined {
  let validate = validators.get(tool);
  if (!validate) {
    try {
      validate = compileJsonSchema(tool.inputSchema);
    } catch {
      return undefined;
    }
    validators.set(tool, validate);
  }
  if (validate(values)) return undefined;
  return describeErrors(validate.errors ?? []);
}
