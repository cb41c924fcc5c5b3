import type { Prompt } from './prompt.ts';
import type { StreamEvent } from './stream-event.ts';
import type { ToolCall } from './tool.ts';
import type { Usage } from './usage.ts';

export interface CompletedResponseInit {
  readonly id: string;
  readonly modelId: string;
  readonly prompt: Prompt<unknown>;
  readonly events: readonly StreamEvent[];
  readonly usage: Usage;
  readonly json: unknown;
  readonly resolvedModel: string | undefined;
  readonly durationMs: number;
  readonly datetimeUtc: string;
}

/**
 * A response that has finished: what `await model.prompt("hi")` resolves to. Every accessor is
 * synchronous because nothing is left to run.
 */
export class CompletedResponse {
  readonly id: string;
  readonly modelId: string;
  readonly prompt: Prompt<unknown>;
  readonly events: readonly StreamEvent[];
  readonly resolvedModel: string | undefined;
  readonly #usage: Usage;
  readonly #json: unknown;
  readonly #durationMs: number;
  readonly #datetimeUtc: string;

  constructor(init: CompletedResponseInit) {
    this.id = init.id;
    this.modelId = init.modelId;
    this.prompt = init.prompt;
    this.events = init.events;
    this.resolvedModel = init.resolvedModel;
    this.#usage = init.usage;
    this.#json = init.json;
    this.#durationMs = init.durationMs;
    this.#datetimeUtc = init.datetimeUtc;
  }

  /** The text chunks joined (reasoning excluded). */
  text(): string {
    let text = '';
    for (const event of this.events) if (event.type === 'text') text += event.chunk;
    return text;
  }

  /** The reasoning the model streamed, joined; empty when it showed none. */
  reasoning(): string {
    let reasoning = '';
    for (const event of this.events) if (event.type === 'reasoning') reasoning += event.chunk;
    return reasoning;
  }

  /** The text chunks as the model yielded them. */
  chunks(): string[] {
    const chunks: string[] = [];
    for (const event of this.events) if (event.type === 'text') chunks.push(event.chunk);
    return chunks;
  }

  /** The tools the model asked to call, in the order it asked; empty when it called none. */
  toolCalls(): ToolCall[] {
    const calls: ToolCall[] = [];
    for (const event of this.events) if (event.type === 'tool_call') calls.push(event.call);
    return calls;
  }

  usage(): Usage {
    return this.#usage;
  }

  /** The raw provider payload the plugin recorded, or null. */
  json(): unknown {
    return this.#json;
  }

  durationMs(): number {
    return this.#durationMs;
  }

  /** When execution started, as an ISO 8601 UTC timestamp. */
  datetimeUtc(): string {
    return this.#datetimeUtc;
  }
}
