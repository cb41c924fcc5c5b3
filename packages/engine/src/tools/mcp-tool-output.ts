import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { McpToolError } from './mcp-errors.ts';

type ContentBlock = CallToolResult['content'][number];

/**
 * What a model is told of an MCP tool's answer: its structured content as JSON when it gives
 * some (the spec's precise form; the text blocks beside it are, by the spec's advice, the same
 * JSON again), else its content blocks as text, one a line. An answer with `isError` throws, so
 * the chain records it as the tool's error.
 */
export function mcpToolOutput(server: string, tool: string, result: CallToolResult): string {
  const text = result.content
    .map(textOfBlock)
    .filter((line) => line !== '')
    .join('\n');
  if (result.isError) {
    throw new McpToolError(server, tool, text || `Tool ${tool} of MCP server ${server} failed`);
  }
  if (result.structuredContent !== undefined) return JSON.stringify(result.structuredContent);
  return text;
}

/** Text as it is; what is not text is named, since a model cannot be given its bytes here. */
function textOfBlock(block: ContentBlock): string {
  switch (block.type) {
    case 'text':
      return block.text;
    case 'image':
    case 'audio':
      return `[${block.type} ${block.mimeType}, ${Buffer.byteLength(block.data, 'base64')} bytes]`;
    case 'resource':
      return 'text' in block.resource
        ? block.resource.text
        : `[resource ${block.resource.uri}${block.resource.mimeType ? `, ${block.resource.mimeType}` : ''}]`;
    case 'resource_link':
      return `[resource ${block.uri}]`;
    default:
      return '';
  }
}
