import type { LlmqClient } from '@llmq/client';
import type { ReasoningWriter } from './reasoning-writer.ts';
import type { ToolDebugWriter } from './tool-debug-writer.ts';

export interface StreamAnswerOptions {
  /** Where the reasoning goes (stderr). */
  readonly reasoning: ReasoningWriter;
  /** Where tool runs go (stderr, with `--td`); unseen without one. */
  readonly tools?: ToolDebugWriter | undefined;
  /** False for a schema's answer, printed as data once validated. */
  readonly printText: boolean;
  /** Aborted: stop following (the chat's Ctrl-C); the line is ended all the same. */
  readonly signal?: AbortSignal | undefined;
}

/**
 * Follows a prompt's stream: reasoning and tool runs to their writers (stderr), the answer's
 * chunks to stdout. A chain of tool calls streams the text of each of its model calls in turn,
 * so the answer printed is all of it, with the tool runs between on stderr.
 */
export async function streamAnswer(
  client: LlmqClient,
  id: string,
  options: StreamAnswerOptions,
): Promise<void> {
  const { reasoning, tools, printText, signal } = options;
  let printed = false;
  for await (const entry of client.followPrompt(id, { signal })) {
    const { event } = entry;
    if (event.type === 'reasoning') {
      reasoning.write(event.text);
    } else if (event.type === 'chunk') {
      reasoning.end();
      if (!printText) continue;
      process.stdout.write(event.text);
      printed = true;
    } else if (event.type === 'tool_call') {
      reasoning.end();
      tools?.call(event.call);
    } else if (event.type === 'tool_result') {
      tools?.result(event.result);
    } else if (event.type === 'restart') {
      reasoning.end();
      tools?.restart();
      if (printed) process.stderr.write('\n[the model is answering again from the start]\n');
    }
  }
  reasoning.end();
  tools?.end();
  if (printed) process.stdout.write('\n');
}
