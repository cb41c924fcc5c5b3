import type { JsonSchema } from './prompt.ts';

/** What a model is told about a tool: its name, what it does and its arguments' JSON Schema. */
export interface ToolDefinition {
  /** Matches `toolNamePattern` (OpenAI's rule, the strictest of the providers). */
  readonly name: string;
  readonly description?: string | undefined;
  /** A JSON Schema object for the arguments, like llm's `Tool.input_schema`. */
  readonly inputSchema: JsonSchema;
}

/** What a tool's implementation is given beside its arguments. */
export interface ToolContext {
  /** The id of the call being answered, so an implementation can log or deduplicate by it. */
  readonly toolCallId: string;
  /** Aborted when the prompt is cancelled or the tool's time runs out. */
  readonly signal: AbortSignal;
  /** 1 for a first run, n for the n-th run of the same call after retries. */
  readonly attempt: number;
}

/**
 * A tool, like llm's `Tool`. Without an `implementation` it is a client-side tool: the model's
 * calls to it end the response and the client answers them with tool results.
 */
export interface Tool extends ToolDefinition {
  /** Runs the tool; what it returns becomes the result's output (strings as they are, else JSON). */
  implementation?(args: Record<string, unknown>, context: ToolContext): Promise<unknown> | unknown;
  /** How long one call may run before it is aborted. */
  readonly timeoutMs?: number | undefined;
  /** The most bytes of output a call may return. */
  readonly maxOutputBytes?: number | undefined;
}

/** A model's request to call a tool, like llm's `ToolCall`. */
export interface ToolCall {
  /** The provider's id for the call, which its result must name. */
  readonly id: string;
  readonly name: string;
  readonly arguments: Record<string, unknown>;
}

/** The answer to one tool call, like llm's `ToolResult`. */
export interface ToolResult {
  readonly toolCallId: string;
  readonly name: string;
  readonly output: string;
  /** The error the tool raised, when it failed; the model is told of it rather than the chain. */
  readonly exception?: string | undefined;
}

/** A tool's definition without its implementation or limits: what a model or a listing sees. */
export function toolDefinition(tool: ToolDefinition): ToolDefinition {
  return tool.description === undefined
    ? { name: tool.name, inputSchema: tool.inputSchema }
    : { name: tool.name, description: tool.description, inputSchema: tool.inputSchema };
}
