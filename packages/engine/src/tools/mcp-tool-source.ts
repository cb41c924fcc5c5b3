import { setTimeout as sleep } from 'node:timers/promises';
import type { JsonSchema, Tool } from '@llmq/core';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import {
  StreamableHTTPClientTransport,
  StreamableHTTPError,
} from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { type CallToolResult, McpError } from '@modelcontextprotocol/sdk/types.js';
import { McpServerUnreachableError, McpToolError } from './mcp-errors.ts';
import { mcpToolOutput } from './mcp-tool-output.ts';

/** One MCP server of LLMQ_MCP_SERVERS, spoken to over streamable HTTP. */
export interface McpServerConfig {
  /** The name in `mcp:<name>`, the tools' source. */
  readonly name: string;
  readonly url: string;
  /** Sent with every request, e.g. `authorization`. */
  readonly headers?: Readonly<Record<string, string>> | undefined;
}

export interface McpToolSourceOptions {
  /** How long the start may keep trying to reach the server. */
  readonly startTimeoutMs?: number;
  /** The longest one call may take when no signal ends it first (the SDK's own is 60 s). */
  readonly callTimeoutMs?: number;
}

/** A connected MCP server: its tools, as core tools whose implementation calls the server. */
export interface McpToolSource {
  readonly name: string;
  readonly tools: readonly Tool[];
  close(): Promise<void>;
}

const clientInfo = { name: 'llmq', version: '0.1.0' };

/**
 * Connect to an MCP server and list its tools. A server that is not up yet (it may start beside
 * llmq) is tried again for `startTimeoutMs`; one that answers with an HTTP error (a wrong path,
 * a missing token) is not, since waiting will not change its answer. Either way the start fails
 * with one error naming the server and its URL. The tools are listed once: a server's later
 * `tools/list_changed` is not followed (a restart of llmq is).
 */
export async function openMcpToolSource(
  config: McpServerConfig,
  options: McpToolSourceOptions = {},
): Promise<McpToolSource> {
  const where = `MCP server ${config.name} at ${describeUrl(config.url)} (LLMQ_MCP_SERVERS)`;
  const connection = new McpConnection(config, options.callTimeoutMs ?? 600_000);
  const listed = await connection.listTools(where, options.startTimeoutMs ?? 5_000);
  const tools = listed.map(
    (tool): Tool => ({
      name: tool.name,
      description: tool.description,
      inputSchema: tool.inputSchema as JsonSchema,
      implementation: (args, context) => connection.call(tool.name, args, context.signal),
    }),
  );
  return { name: config.name, tools, close: () => connection.close() };
}

/** The client of one server, connected again after a call found the connection broken. */
class McpConnection {
  readonly #config: McpServerConfig;
  readonly #callTimeoutMs: number;
  #client: Promise<Connected> | undefined;

  constructor(config: McpServerConfig, callTimeoutMs: number) {
    this.#config = config;
    this.#callTimeoutMs = callTimeoutMs;
  }

  async listTools(where: string, timeoutMs: number) {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        const { client } = await this.#connected(deadline - Date.now());
        return await listAllTools(client, Math.max(deadline - Date.now(), 1));
      } catch (error) {
        await this.#drop();
        const refused = error instanceof StreamableHTTPError && error.code !== undefined;
        if (refused || Date.now() >= deadline) {
          throw new McpServerUnreachableError(
            this.#config.name,
            refused
              ? `${where} refused llmq: ${messageOf(error)}`
              : `Could not reach ${where} within ${timeoutMs / 1000} s: ${messageOf(error)}`,
            error,
          );
        }
        await sleep(Math.min(250, Math.max(deadline - Date.now(), 0)));
      }
    }
  }

  async call(tool: string, args: Record<string, unknown>, signal: AbortSignal): Promise<string> {
    const server = this.#config.name;
    let result: CallToolResult;
    try {
      const { client } = await this.#connected(this.#callTimeoutMs);
      result = (await client.callTool({ name: tool, arguments: args }, undefined, {
        signal,
        timeout: this.#callTimeoutMs,
      })) as CallToolResult;
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      // A protocol error is the server's answer; anything else leaves the connection in doubt.
      if (!(error instanceof McpError)) await this.#drop();
      throw new McpToolError(
        server,
        tool,
        `Tool ${tool} of MCP server ${server}: ${messageOf(error)}`,
        { cause: error, retryable: !(error instanceof McpError) },
      );
    }
    return mcpToolOutput(server, tool, result);
  }

  async close(): Promise<void> {
    await this.#drop();
  }

  #connected(timeoutMs: number): Promise<Connected> {
    this.#client ??= connect(this.#config, timeoutMs);
    const pending = this.#client;
    // A failed connection is not kept: the next call tries again.
    pending.catch(() => {
      if (this.#client === pending) this.#client = undefined;
    });
    return pending;
  }

  async #drop(): Promise<void> {
    const pending = this.#client;
    this.#client = undefined;
    const connected = await pending?.catch(() => undefined);
    if (!connected) return;
    // A server that keeps sessions is told this one is over; a stateless one answers 405.
    await connected.transport.terminateSession().catch(() => undefined);
    await connected.client.close().catch(() => undefined);
  }
}

interface Connected {
  readonly client: Client;
  readonly transport: StreamableHTTPClientTransport;
}

async function connect(config: McpServerConfig, timeoutMs: number): Promise<Connected> {
  const transport = new StreamableHTTPClientTransport(new URL(config.url), {
    requestInit: { headers: { ...config.headers } },
  });
  const client = new Client(clientInfo);
  try {
    await client.connect(transport, { timeout: Math.max(timeoutMs, 1) });
  } catch (error) {
    await client.close().catch(() => undefined);
    throw error;
  }
  return { client, transport };
}

async function listAllTools(client: Client, timeoutMs: number) {
  const tools = [];
  let cursor: string | undefined;
  do {
    const page = await client.listTools(cursor === undefined ? {} : { cursor }, {
      timeout: timeoutMs,
    });
    tools.push(...page.tools);
    cursor = page.nextCursor;
  } while (cursor !== undefined);
  return tools;
}

/** The URL without what may be a secret (credentials, a query's token). */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.origin}${parsed.pathname}`;
  } catch {
    return url;
  }
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  // fetch's own message ("fetch failed") hides the reason (ECONNREFUSED) in its cause.
  const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
  return `${error.message}${cause}`;
}
