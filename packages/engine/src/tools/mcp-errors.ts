import { type FailureTraits, LlmqError } from '@llmq/core';

/**
 * A configured MCP server that could not be reached, or refused llmq, at start: like a wrong
 * REDIS_URL, the process stops with this one error rather than serving without its tools.
 */
export class McpServerUnreachableError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'mcp-server-unreachable-at-start',
    blame: 'service',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'McpServerUnreachableError';
  readonly server: string;

  constructor(server: string, message: string, cause?: unknown) {
    super(message, { cause });
    this.server = server;
  }
}

/**
 * A call to an MCP server's tool that failed: the tool answered `isError` (its text is the
 * message), the server refused the call, or it could not be reached. The chain tells the model,
 * as it does of any tool that throws.
 */
export class McpToolError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'mcp-tool-failed',
    blame: 'provider',
    retryable: false,
    edge: 'never',
  };
  override readonly name = 'McpToolError';
  readonly server: string;
  readonly tool: string;

  constructor(
    server: string,
    tool: string,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super(message, options);
    this.server = server;
    this.tool = tool;
  }
}
