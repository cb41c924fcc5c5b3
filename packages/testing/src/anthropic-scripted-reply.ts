/** A tool call a scripted Anthropic reply makes; the request must give tools, as Anthropic's would. */
export interface AnthropicScriptedToolCall {
  /** The `tool_use` block's id (default `toolu_local_<n>`, counting the server's calls). */
  readonly id?: string;
  readonly name: string;
  /** An object sent as JSON, or the exact text, which may be invalid JSON (default `{}`). */
  readonly input?: Record<string, unknown> | string;
  /** The exact streamed `input_json_delta` pieces; by default split at word boundaries. */
  readonly inputChunks?: readonly string[];
}

/** How the local Anthropic-compatible server answers one request. */
export interface AnthropicScriptedReply {
  /** The assistant's text (default `ok`, or the default answers described on the server). */
  readonly text?: string;
  /** The exact streamed `text_delta` pieces; by default the text split into words. */
  readonly chunks?: readonly string[];
  /**
   * The thinking text of a request that asks for thinking (default: a sentence of its own). It
   * comes first, as a `thinking` block with a signature the server checks when it is sent back.
   */
  readonly thinking?: string;
  /** `tool_use` blocks after the text; the answer then stops with `tool_use`. */
  readonly toolCalls?: readonly AnthropicScriptedToolCall[];
  /** The usage object, replacing the default word counts (with zero cache fields). */
  readonly usage?: Readonly<Record<string, unknown>>;
  /** The model name reported back (default: the requested one). */
  readonly model?: string;
  /** The stop reason (default `end_turn`, or `tool_use` when there are tool calls). */
  readonly stopReason?: string;
  /** Answer with this HTTP status and an Anthropic-shaped error body instead. */
  readonly status?: number;
  /** The error's type and message (by default from the status: 529 `overloaded_error`, …). */
  readonly error?: { readonly type?: string; readonly message?: string };
  readonly headers?: Readonly<Record<string, string>>;
  /**
   * Streamed answers only: after the first text piece, an `error` event with this error ends
   * the stream, as Anthropic reports an overload that comes after the response started.
   */
  readonly streamError?: { readonly type: string; readonly message: string };
}
