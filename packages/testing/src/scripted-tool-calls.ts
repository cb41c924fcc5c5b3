/** A tool call a scripted reply makes; the request must give tools, as OpenAI's would. */
export interface ScriptedToolCall {
  /** The call's id (default `call_<n>`, counting the server's calls). */
  readonly id?: string;
  readonly name: string;
  /** An object sent as JSON, or the exact text, which may be invalid JSON (default `{}`). */
  readonly arguments?: Record<string, unknown> | string;
  /** The exact streamed pieces of the arguments; by default split as OpenAI's tokens split them. */
  readonly argumentChunks?: readonly string[];
}

/** A scripted call with its id and its argument text settled. */
export interface ResolvedToolCall {
  readonly id: string;
  readonly name: string;
  readonly argumentsText: string;
  readonly pieces: readonly string[];
}

let toolCallCounter = 0;

export function resolveToolCalls(calls: readonly ScriptedToolCall[]): ResolvedToolCall[] {
  return calls.map((call) => {
    const argumentsText =
      call.argumentChunks?.join('') ??
      (typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}));
    return {
      id: call.id ?? `call_${++toolCallCounter}`,
      name: call.name,
      argumentsText,
      pieces: call.argumentChunks ?? splitArguments(argumentsText),
    };
  });
}

/**
 * The streamed `delta.tool_calls` entries of the calls, one per chunk, as OpenAI sends them: a
 * call's first entry carries its index, id, type and name with empty arguments, the later ones
 * only pieces of its arguments. Several calls take turns, so their entries interleave (OpenAI
 * may send them one after another; a client must cope with both).
 */
export function toolCallDeltas(calls: readonly ResolvedToolCall[]): Record<string, unknown>[] {
  const perCall = calls.map((call, index) => [
    { index, id: call.id, type: 'function', function: { name: call.name, arguments: '' } },
    ...call.pieces.map((piece) => ({ index, function: { arguments: piece } })),
  ]);
  const deltas: Record<string, unknown>[] = [];
  const longest = Math.max(0, ...perCall.map((entries) => entries.length));
  for (let turn = 0; turn < longest; turn++) {
    for (const entries of perCall) {
      const entry = entries[turn];
      if (entry) deltas.push(entry);
    }
  }
  return deltas;
}

/** `message.tool_calls` of a whole (not streamed) answer. */
export function messageToolCalls(calls: readonly ResolvedToolCall[]): Record<string, unknown>[] {
  return calls.map((call) => ({
    id: call.id,
    type: 'function',
    function: { name: call.name, arguments: call.argumentsText },
  }));
}

/** JSON text split at word and punctuation boundaries, like `{"` `city` `":"` `Paris` `"}`. */
function splitArguments(text: string): string[] {
  return text.match(/\w+|\W+/g) ?? [text];
}

interface ChatMessage {
  readonly role?: string;
  readonly content?: unknown;
  readonly tool_call_id?: unknown;
  readonly tool_calls?: ReadonlyArray<{ id?: unknown; function?: { name?: unknown } }>;
}

/**
 * The default answer to a request whose last messages are tool results: text naming each tool
 * and what it returned, so a tool loop run against the server ends with the results in view.
 */
export function toolResultsAnswer(messages: readonly ChatMessage[]): string | undefined {
  const results: ChatMessage[] = [];
  for (let at = messages.length - 1; at >= 0 && messages[at]?.role === 'tool'; at--) {
    results.unshift(messages[at] as ChatMessage);
  }
  if (results.length === 0) return undefined;
  const names = new Map<unknown, unknown>();
  for (const message of messages) {
    for (const call of message.tool_calls ?? []) names.set(call.id, call.function?.name);
  }
  const described = results.map((result) => {
    const content =
      typeof result.content === 'string' ? result.content : JSON.stringify(result.content);
    return `${String(names.get(result.tool_call_id) ?? result.tool_call_id)}: ${content}`;
  });
  return `Tool results: ${described.join('; ')}`;
}

/**
 * What OpenAI answers 400 to about tools, with its own messages: `tool_choice` or
 * `parallel_tool_calls` without tools, and a `tool` message that answers no call of the
 * assistant message before it.
 */
export function toolRequestIssue(request: {
  readonly tools?: unknown;
  readonly messages?: readonly ChatMessage[];
  readonly [field: string]: unknown;
}): { message: string; param: string } | undefined {
  const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
  for (const field of ['tool_choice', 'parallel_tool_calls']) {
    if (!hasTools && request[field] !== undefined && request[field] !== null) {
      return {
        message: `Invalid value for '${field}': '${field}' is only allowed when 'tools' are specified.`,
        param: field,
      };
    }
  }
  let open = new Set<unknown>();
  for (const [at, message] of (request.messages ?? []).entries()) {
    if (message.role === 'tool') {
      if (!open.has(message.tool_call_id)) {
        return {
          message: `Invalid parameter: messages with role 'tool' must be a response to a preceeding message with 'tool_calls'.`,
          param: `messages.[${at}].role`,
        };
      }
      continue;
    }
    open = new Set((message.tool_calls ?? []).map((call) => call.id));
  }
  return undefined;
}
