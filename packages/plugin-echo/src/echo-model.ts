import { setTimeout as sleep } from 'node:timers/promises';
import {
  AsyncModel,
  type ExecuteContext,
  type ExecuteYield,
  ModelError,
  type Prompt,
} from '@llmq/core';
import { describePrompt } from './echo-description.ts';
import { type EchoOptions, echoOptionsSchema } from './echo-options.ts';
import { requestedToolCalls } from './echo-tool-calls.ts';
import { schemaExample } from './schema-example.ts';

const defaultChunkSize = 16;

/**
 * A deterministic model, like llm-echo: it streams back, as pretty JSON, what it received.
 * Its options make any outcome on demand: slow chunks, retryable or fatal failures, partial
 * output before a failure, reasoning before the answer (`reasoning`).
 *
 * With a schema it answers JSON instead: the prompt's own text when that parses as JSON (so a
 * test can make it answer something that fails the schema), else `schemaExample(schema, seed)`,
 * a value that satisfies the schema, its strings seeded with the first 8 hex digits of the
 * first attachment's id (so each file of a batch gets its own data).
 *
 * It supports tools, like llm-echo: a prompt whose text is a JSON object with a `tool_calls`
 * list (`{"tool_calls": [{"name": "add", "arguments": {"a": 1}, "id": "optional"}]}`) makes it
 * call those tools, whether or not the prompt offers them (so a test can call an unknown one),
 * and answer no text; ids left out are `echo-call-<n>`, n counting the conversation's calls from
 * 1. A prompt carrying tool results is described like any other, with a `tool_results` list of
 * `{name, output, tool_call_id}` (and `exception` when the tool failed).
 */
export class EchoModel extends AsyncModel<typeof echoOptionsSchema> {
  readonly modelId = 'echo';
  readonly optionsSchema = echoOptionsSchema;
  override readonly supportsSchema = true;
  override readonly supportsTools = true;
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
  ): AsyncGenerator<ExecuteYield, void, undefined> {
    const options = prompt.options;
    const toolCalls = requestedToolCalls(prompt.prompt, prompt.messages) ?? [];
    // A tool-call turn says nothing, as a provider's usually does.
    const text = toolCalls.length > 0 ? '' : await answerOf(prompt, signal);
    const failing = options.fail !== undefined && attempt <= (options.fail_attempts ?? Infinity);
    const size = options.chunk_size ?? defaultChunkSize;
    if (options.reasoning) {
      for (const chunk of stream ? splitChunks(options.reasoning, size) : [options.reasoning]) {
        if (options.delay_ms) await sleep(options.delay_ms, undefined, { signal });
        yield { type: 'reasoning', chunk };
      }
    }
    const chunks = !text ? [] : stream ? splitChunks(text, size) : [text];
    const failAfter = failing ? Math.min(options.fail_after_chunks ?? 0, chunks.length) : Infinity;
    let emitted = 0;
    for (const chunk of chunks) {
      if (emitted === failAfter) break;
      if (options.delay_ms) await sleep(options.delay_ms, undefined, { signal });
      yield chunk;
      emitted++;
    }
    if (!failing) {
      for (const call of toolCalls) {
        if (options.delay_ms) await sleep(options.delay_ms, undefined, { signal });
        yield { type: 'tool_call', call };
      }
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

/** What echo answers: the prompt described, or JSON for a prompt with a schema. */
async function answerOf(prompt: Prompt<EchoOptions>, signal: AbortSignal): Promise<string> {
  if (!prompt.schema) return JSON.stringify(await describePrompt(prompt, signal), null, 2);
  if (isJson(prompt.prompt)) return prompt.prompt;
  const first = prompt.attachments[0];
  const seed = first ? (await first.id()).slice(0, 8) : '';
  return JSON.stringify(schemaExample(prompt.schema, seed));
}

function isJson(text: string): boolean {
  if (!text.trim()) return false;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
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
