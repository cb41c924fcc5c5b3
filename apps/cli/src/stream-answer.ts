import type { LlmqClient } from '@llmq/client';
import type { ReasoningWriter } from './reasoning-writer.ts';

/**
 * Follows a prompt's stream: reasoning to the reasoning writer (stderr), the answer's chunks to
 * stdout unless `printText` is false (a schema's answer is printed as data once validated).
 * An aborted `signal` stops following (the chat's Ctrl-C); the line is ended all the same.
 */
export async function streamAnswer(
  client: LlmqClient,
  id: string,
  reasoning: ReasoningWriter,
  printText: boolean,
  signal?: AbortSignal,
): Promise<void> {
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
    } else if (event.type === 'restart') {
      reasoning.end();
      if (printed) process.stderr.write('\n[the model is answering again from the start]\n');
    }
  }
  reasoning.end();
  if (printed) process.stdout.write('\n');
}
