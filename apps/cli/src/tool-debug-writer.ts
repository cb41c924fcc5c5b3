import type { ToolCallBody, ToolResultBody } from '@llmq/contracts';

/** Where tool debugging goes: stderr, so that stdout holds only the answer. */
export interface ToolDebugTarget {
  readonly isTTY?: boolean | undefined;
  write(text: string): unknown;
}

// click.style(fg=…, bold=True), as llm colours its --td lines on a terminal.
const colours = {
  call: '\u001b[33m\u001b[1m',
  output: '\u001b[32m\u001b[1m',
  error: '\u001b[31m\u001b[1m',
};
const reset = '\u001b[0m';

/** `Tool call: add({"a":1,"b":2})`, llm's first line of a tool run. */
export function formatToolCall(call: ToolCallBody): string {
  return `Tool call: ${call.name}(${JSON.stringify(call.arguments)})`;
}

/** A tool's output as llm shows it: JSON indented, anything else as it is, two spaces in. */
export function formatToolOutput(output: string): string {
  let shown = output;
  try {
    shown = JSON.stringify(JSON.parse(output), null, 2);
  } catch {
    // Not JSON: shown as the tool gave it.
  }
  return shown
    .split('\n')
    .map((line) => (line === '' ? line : `  ${line}`))
    .join('\n');
}

/**
 * Prints each tool run of a streaming prompt as llm's `--td` does: the call with its
 * arguments, then the output indented, once its result arrives (parallel calls stay paired
 * with their results). Calls that never get a result here (a client's tools, or a chain that
 * stopped) are printed alone when the stream ends.
 */
export class ToolDebugWriter {
  readonly #target: ToolDebugTarget;
  readonly #shown: boolean;
  readonly #waiting = new Map<string, ToolCallBody>();

  constructor(target: ToolDebugTarget, shown: boolean) {
    this.#target = target;
    this.#shown = shown;
  }

  call(call: ToolCallBody): void {
    if (this.#shown) this.#waiting.set(call.id, call);
  }

  result(result: ToolResultBody): void {
    if (!this.#shown) return;
    const call = this.#waiting.get(result.tool_call_id) ?? {
      id: result.tool_call_id,
      name: result.name,
      arguments: {},
    };
    this.#waiting.delete(result.tool_call_id);
    this.#printCall(call);
    const output = formatToolOutput(result.output);
    this.#write('output', result.exception === null ? `${output}\n` : output);
    if (result.exception !== null) this.#write('error', `  Exception: ${result.exception}`);
  }

  /** A new attempt streams its step again: the calls of the attempt before get no result. */
  restart(): void {
    this.#waiting.clear();
  }

  end(): void {
    for (const call of this.#waiting.values()) this.#printCall(call);
    this.#waiting.clear();
  }

  #printCall(call: ToolCallBody): void {
    this.#write('call', `\n${formatToolCall(call)}`);
  }

  /** One line (or lines) in its colour on a terminal, plain on a file or a pipe. */
  #write(kind: keyof typeof colours, text: string): void {
    this.#target.write(this.#target.isTTY ? `${colours[kind]}${text}${reset}\n` : `${text}\n`);
  }
}
