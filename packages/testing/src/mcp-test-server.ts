import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { z } from 'zod';

/** A tool the test server offers: its arguments as a zod object, and what a call answers. */
export interface McpTestTool {
  readonly name: string;
  readonly description?: string;
  readonly input: z.ZodObject;
  /** When set, the tool declares it and answers `structuredContent` of this shape. */
  readonly output?: z.ZodObject;
  run(args: Record<string, unknown>, signal: AbortSignal): Promise<CallToolResult>;
}

export interface McpTestServerOptions {
  /** The tools to offer; `mcpTestTools` when not given. */
  readonly tools?: readonly McpTestTool[];
}

export interface McpTestServer {
  /** The streamable-HTTP endpoint, `http://127.0.0.1:<port>/mcp`. */
  readonly url: string;
  /** How many times each tool was called, by name. */
  readonly calls: ReadonlyMap<string, number>;
  /** The headers of the latest request, to check what a client sent. */
  readonly lastHeaders: IncomingHttpHeaders | undefined;
  close(): Promise<void>;
}

/**
 * The tools a test server offers by default: `upper` and `word_count` (structured content only)
 * answer, `report_error` answers `isError`, `wait` holds a call open for a cancellation to end.
 */
export const mcpTestTools: readonly McpTestTool[] = [
  {
    name: 'upper',
    description: 'Upper-case a text.',
    input: z.object({ text: z.string() }),
    run: async (args) => ({ content: [{ type: 'text', text: String(args.text).toUpperCase() }] }),
  },
  {
    name: 'word_count',
    description: 'Count the words of a text.',
    input: z.object({ text: z.string() }),
    output: z.object({ words: z.int() }),
    run: async (args) => ({
      content: [],
      structuredContent: { words: String(args.text).split(/\s+/).filter(Boolean).length },
    }),
  },
  {
    name: 'report_error',
    description: 'Always answers an error.',
    input: z.object({ reason: z.string().optional() }),
    run: async (args) => ({
      isError: true,
      content: [{ type: 'text', text: `failed: ${String(args.reason ?? 'as asked')}` }],
    }),
  },
  {
    name: 'wait',
    description: 'Wait this many milliseconds, then say so.',
    input: z.object({ ms: z.int().min(0) }),
    run: async (args, signal) => {
      await sleep(args.ms as number, undefined, { signal }).catch(() => undefined);
      return { content: [{ type: 'text', text: `waited ${String(args.ms)} ms` }] };
    },
  },
];

/**
 * A real Model Context Protocol server over streamable HTTP on a random loopback port. It is
 * stateless: each POST gets a server and transport of its own (no session id), answered as JSON,
 * which is how a server that scales out behind a load balancer runs.
 */
export async function startMcpTestServer(
  options: McpTestServerOptions = {},
): Promise<McpTestServer> {
  const tools = options.tools ?? mcpTestTools;
  const calls = new Map<string, number>();
  let lastHeaders: IncomingHttpHeaders | undefined;
  const http = createServer(async (request, response) => {
    lastHeaders = request.headers;
    if (request.url !== '/mcp') {
      response.writeHead(404).end();
      return;
    }
    // A stateless server has no stream to offer (GET) and no session to end (DELETE).
    if (request.method !== 'POST') {
      response.writeHead(405, { allow: 'POST' }).end();
      return;
    }
    const server = serverOf(tools, calls);
    const transport = new StreamableHTTPServerTransport({
      sessionIdGenerator: undefined,
      enableJsonResponse: true,
    });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response);
    } catch {
      if (!response.headersSent) response.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/mcp`,
    calls,
    get lastHeaders() {
      return lastHeaders;
    },
    close: async () => {
      // Calls still open (a `wait` a client gave up on) would hold the close forever.
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}

function serverOf(tools: readonly McpTestTool[], calls: Map<string, number>): McpServer {
  const server = new McpServer({ name: 'llmq-test-tools', version: '1.0.0' });
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      { description: tool.description, inputSchema: tool.input, outputSchema: tool.output },
      async (args: Record<string, unknown>, extra: { signal: AbortSignal }) => {
        calls.set(tool.name, (calls.get(tool.name) ?? 0) + 1);
        return tool.run(args, extra.signal);
      },
    );
  }
  return server;
}
