import { describe, expect, it } from 'vitest';
import { McpToolError } from './mcp-errors.ts';
import { mcpToolOutput } from './mcp-tool-output.ts';

describe('mcpToolOutput', () => {
  it('joins the text of the content blocks, one a line, naming what is not text', () => {
    expect(
      mcpToolOutput('files', 'read', {
        content: [
          { type: 'text', text: 'first' },
          { type: 'image', mimeType: 'image/png', data: Buffer.from('png!').toString('base64') },
          { type: 'resource', resource: { uri: 'file:///a.txt', text: 'inside a.txt' } },
          { type: 'resource_link', uri: 'file:///b.txt', name: 'b.txt' },
        ],
      }),
    ).toBe('first\n[image image/png, 4 bytes]\ninside a.txt\n[resource file:///b.txt]');
  });

  it('prefers structured content, as JSON', () => {
    expect(
      mcpToolOutput('files', 'stat', {
        content: [{ type: 'text', text: '{"size": 3}' }],
        structuredContent: { size: 3 },
      }),
    ).toBe('{"size":3}');
  });

  it('throws an answer marked isError, with its text', () => {
    const failed = () =>
      mcpToolOutput('files', 'read', {
        isError: true,
        content: [{ type: 'text', text: 'no such file' }],
      });
    expect(failed).toThrow(McpToolError);
    expect(failed).toThrow('no such file');
    expect(() => mcpToolOutput('files', 'read', { isError: true, content: [] })).toThrow(
      'Tool read of MCP server files failed',
    );
  });
});
