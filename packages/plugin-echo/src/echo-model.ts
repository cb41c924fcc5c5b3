import { setTimeout as sleep } from 'node:timers/promises';
import { AsyncModel, type ExecuteContext, ModelError, type Prompt } from '@llmq/core';
import { describePrompt } from './echo-description.ts';
import { type EchoOptions, echoOptionsSchema } from './echo-options.ts';

const defaultChunkSize = 16;

/**
 * A deterministic model, like llm-echo: it streams back, as pretty JSON, what it received.
 * Its options make any outcome on demand: slow chunks, retryable or fatal failures, partial
 * output before a failure.
 */
export class EchoModel extends AsyncModel<typeof echoOptionsSchema> {
  readonly modelId = 'echo';
  readonly optionsSchema = echoOptionsSchema;
  override readonly attachmentTypes: ReadonlySet<string> = new Set([
    'image/png',
    'image/jpeg',
    'image/gif',
    'image/webp',
    'audio/wav',
    'audio/mpeg',
    'application/pdf',
  ]);

  async *execute(
    prompt: Prompt<EchoOptions>,
    { stream, response, signal, attempt }: ExecuteContext,
  ): AsyncGenerator<string, void, undefined> {
    const options = prompt.options;
    const text = JSON.stringify(await describePrompt(prompt, signal), null, 2);
    const failing = options.fail !== undefined && attempt <= (options.fail_attempts ?? Infinity);
    const chunks = stream ? splitChunks(text, options.chunk_size ?? defaultChunkSize) : [text];
    const failAfter = failing ? Math.min(options.fail_after_chunks ?? 0, chunks.length) : Infinity;
    let emitted = 0;
    for (const chunk of chunks) {
      if (emitted === failAfter) break;
      if (options.delay_ms) await sleep(options.delay_ms, undefined, { signal });
      yield chunk;
      emitted++;
    }
    if (failing) {
      const retryable = options.fail === 'retryable';
      throw new ModelError(`echo failed on purpose (attempt ${attempt}, ${options.fail})`, {
        retryable,
      });
    }
    response.setUsage({ input: countWords(prompt.prompt), output: countWords(text) });
  }
}

/** Split text into chunks of `size` characters, never splitting a surrogate pair. */
export function splitChunks(text: string, size: number): string[] {
  const characters = Array.from(text);
  const chunks: string[] = [];
  for (let start = 0; start < characters.length; start += size) {
    chunks.push(characters.slice(start, start + size).join(''));
  }
  return chunks;
}

export function countWords(text: string): number {
  return text.split(/\s+/).filter(Boolean).length;
}
