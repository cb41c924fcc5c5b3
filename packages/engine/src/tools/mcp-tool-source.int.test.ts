import { PluginError, ToolRegistry } from '@llmq/core';
import { freePort, type McpTestServer, startMcpTestServer, waitFor } from '@llmq/testing';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { McpServerUnreachableError, McpToolError } from './mcp-errors.ts';
import { type McpToolSource, openMcpToolSource } from './mcp-tool-source.ts';
import { openMcpToolSources } from './mcp-tool-sources.ts';
import { ToolCatalogue } from './tool-catalogue.ts';

const context = (signal = new AbortController().signal) => ({
  toolCallId: 'call-1',
  signal,
  attempt: 1,
});

describe('an MCP server as a tool source', () => {
  let server: McpTestServer;
  let source: McpToolSource;

  beforeAll(async () => {
    server = await startMcpTestServer();
    source = await openMcpToolSource({
      name: 'tests',
      url: server.url,
      headers: { authorization: 'Bearer test-token' },
    });
  });

  afterAll(async () => {
    await source?.close();
    await server?.close();
  });

  function tool(name: string) {
    const found = source.tools.find((candidate) => candidate.name === name);
    if (!found?.implementation) throw new Error(`no tool ${name}`);
    return found as typeof found & { implementation: NonNullable<typeof found.implementation> };
  }

  it('lists the server’s tools with their descriptions and input schemas', () => {
    expect(source.tools.map((candidate) => candidate.name)).toEqual([
      'upper',
      'word_count',
      'report_error',
      'wait',
    ]);
    expect(tool('upper').description).toBe('Upper-case a text.');
    expect(tool('upper').inputSchema).toMatchObject({
      type: 'object',
      properties: { text: { type: 'string' } },
      required: ['text'],
    });
  });

  it('calls a tool on the server, sending the configured headers', async () => {
    expect(await tool('upper').implementation({ text: 'hello mcp' }, context())).toBe('HELLO MCP');
    expect(server.calls.get('upper')).toBe(1);
    expect(server.lastHeaders?.authorization).toBe('Bearer test-token');
  });

  it('answers structured content as JSON text', async () => {
    expect(await tool('word_count').implementation({ text: 'one two three' }, context())).toBe(
      '{"words":3}',
    );
  });

  it('throws the text of an answer marked isError as an McpToolError', async () => {
    const call = tool('report_error').implementation({ reason: 'on purpose' }, context());
    await expect(call).rejects.toBeInstanceOf(McpToolError);
    await expect(call).rejects.toThrow('failed: on purpose');
    await expect(call).rejects.toMatchObject({
      server: 'tests',
      tool: 'report_error',
      retryable: false,
    });
  });

  it('gives up a call when its signal is aborted, with the signal’s reason', async () => {
    const controller = new AbortController();
    const call = tool('wait').implementation({ ms: 600_000 }, context(controller.signal));
    await waitFor(() => server.calls.get('wait') === 1, 'the server to run wait');
    const reason = new Error('prompt cancelled');
    controller.abort(reason);
    await expect(call).rejects.toBe(reason);
    // The connection stays usable for the next call.
    expect(await tool('upper').implementation({ text: 'still here' }, context())).toBe(
      'STILL HERE',
    );
  });
});

describe('an MCP server that cannot be used', () => {
  it('fails the start, naming the server and its URL, when nothing answers there', async () => {
    const url = `http://127.0.0.1:${await freePort()}/mcp`;
    const opening = openMcpToolSource({ name: 'absent', url }, { startTimeoutMs: 500 });
    await expect(opening).rejects.toBeInstanceOf(McpServerUnreachableError);
    await expect(opening).rejects.toThrow(
      `Could not reach MCP server absent at ${url} (LLMQ_MCP_SERVERS) within 0.5 s`,
    );
  });

  it('fails the start at once when the server refuses llmq (an HTTP error)', async () => {
    const server = await startMcpTestServer();
    try {
      const url = server.url.replace('/mcp', '/wrong');
      const opening = openMcpToolSource({ name: 'wrong', url }, { startTimeoutMs: 600_000 });
      await expect(opening).rejects.toThrow(
        `MCP server wrong at ${url} (LLMQ_MCP_SERVERS) refused llmq`,
      );
    } finally {
      await server.close();
    }
  });

  it('fails a call as a retryable McpToolError when the server went away', async () => {
    const server = await startMcpTestServer();
    const source = await openMcpToolSource({ name: 'gone', url: server.url });
    try {
      await server.close();
      const upper = source.tools.find((candidate) => candidate.name === 'upper');
      const call = upper?.implementation?.({ text: 'anyone?' }, context());
      await expect(call).rejects.toBeInstanceOf(McpToolError);
      await expect(call).rejects.toMatchObject({ server: 'gone', retryable: true });
    } finally {
      await source.close();
    }
  });
});

describe('MCP servers in the tool catalogue', () => {
  it('adds each server’s tools as mcp:<name>, and refuses a name two sources offer', async () => {
    const server = await startMcpTestServer();
    const logger = pino({ level: 'silent' });
    try {
      const catalogue = new ToolCatalogue(new ToolRegistry());
      const sources = await openMcpToolSources(
        [{ name: 'first', url: server.url }],
        catalogue,
        logger,
      );
      expect(catalogue.find('upper')?.source).toBe('mcp:first');
      expect(catalogue.list().map((entry) => entry.source)).toEqual(Array(4).fill('mcp:first'));
      await sources.close();

      const clashing = openMcpToolSources(
        [
          { name: 'first', url: server.url },
          { name: 'second', url: server.url },
        ],
        new ToolCatalogue(new ToolRegistry()),
        logger,
      );
      await expect(clashing).rejects.toBeInstanceOf(PluginError);
      await expect(clashing).rejects.toThrow(
        'Tool upper of mcp:second is already offered by mcp:first',
      );
    } finally {
      await server.close();
    }
  });
});
