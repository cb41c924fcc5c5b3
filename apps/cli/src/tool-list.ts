import type { ToolListingBody } from '@llmq/contracts';

interface JsonSchemaProperty {
  readonly type?: string | readonly string[];
}

/** `add(a: integer, b: integer)`: the tool's name and its arguments' names and types. */
export function toolSignature(tool: ToolListingBody): string {
  const properties = (tool.input_schema as { properties?: Record<string, JsonSchemaProperty> })
    .properties;
  const parameters = Object.entries(properties ?? {}).map(([name, property]) => {
    const type = Array.isArray(property.type) ? property.type.join(' | ') : property.type;
    return type ? `${name}: ${type}` : name;
  });
  return `${tool.name}(${parameters.join(', ')})`;
}

/**
 * `llmq tools` as text, in `llm tools`'s way: a line per tool with its arguments and where it
 * comes from, then its description indented, a blank line between tools.
 */
export function formatToolList(tools: readonly ToolListingBody[]): string {
  return tools
    .map((tool) => {
      const description = tool.description
        ? `\n\n${tool.description
            .trim()
            .split('\n')
            .map((line) => (line === '' ? line : `  ${line}`))
            .join('\n')}`
        : '';
      return `${toolSignature(tool)} (${tool.source})${description}\n`;
    })
    .join('\n');
}
