import { CompletedResponse } from './completed-response.ts';
import type { Conversation } from './conversation.ts';
import type { AsyncModel } from './model.ts';
import { newId } from './new-id.ts';
import type { Prompt } from './prompt.ts';
import { type ExecuteYield, type StreamEvent, toStreamEvent } from './stream-event.ts';
import type { ToolCall } from './tool.ts';
import { noUsage, type Usage } from './usage.ts';

export type DoneCallback = (response: CompletedResponse) => void | Promise<void>;

export interface ResponseInit<Options> {
  readonly model: AsyncModel;
  readonly prompt: Prompt<Options>;
  readonly stream: boolean;
  readonly signal: AbortSignal;
  readonly attempt: number;
  readonly conversation: Conversation | undefined;
  /** The key for this call (`ExecuteContext.key`), when one was resolved for it. */
  readonly key?: string | undefined;
  /** Checks that must pass before `execute()` runs (attachment types need async work). */
  readonly validate: () => Promise<void>;
}

type Status = 'pending' | 'running' | 'done' | 'failed';

/**
 * A model's answer to one prompt, like llm's `AsyncResponse`. Nothing runs until it is iterated
 * or awaited; `execute()` runs once and every iterator replays the same chunks. Awaiting it
 * resolves to a {@link CompletedResponse}. An error from `execute()` surfaces from iteration and
 * leaves the response unfinished: no done callbacks run.
 */
export class Response<Options = unknown>
  implements AsyncIterable<string>, PromiseLike<CompletedResponse>
{
  readonly id = newId();
  readonly model: AsyncModel;
  readonly prompt: Prompt<Options>;
  readonly stream: boolean;
  readonly attempt: number;
  readonly conversation: Conversation | undefined;
  readonly signal: AbortSignal;
  readonly #key: string | undefined;
  readonly #validate: () => Promise<void>;
  readonly #events: StreamEvent[] = [];
  readonly #doneCallbacks: DoneCallback[] = [];
  #status: Status = 'pending';
  #error: unknown;
  #generator: AsyncGenerator<ExecuteYield, void, undefined> | undefined;
  #pull: Promise<void> | undefined;
  #startedAt = 0;
  #startedUtc = '';
  #completed: CompletedResponse | undefined;
  #usage: Usage = noUsage;
  #json: unknown = null;
  #resolvedModel: string | undefined;

  constructor(init: ResponseInit<Options>) {
    this.model = init.model;
    this.prompt = init.prompt;
    this.stream = init.stream;
    this.attempt = init.attempt;
    this.conversation = init.conversation;
    this.signal = init.signal;
    this.#key = init.key;
    this.#validate = init.validate;
  }

  // Plugin-facing setters.

  setUsage(usage: Partial<Usage>): void {
    this.#usage = {
      input: usage.input ?? null,
      output: usage.output ?? null,
      details: usage.details && Object.keys(usage.details).length > 0 ? usage.details : null,
    };
  }

  /** Record the raw provider payload, returned later by `json()`. */
  setJson(json: unknown): void {
    this.#json = json;
  }

  /** Record the exact model the provider ran, when it differs from the requested id. */
  setResolvedModel(modelId: string): void {
    this.#resolvedModel = modelId;
  }

  // Consumer-facing API.

  get isDone(): boolean {
    return this.#status === 'done';
  }

  /** Every event (text, reasoning and tool calls) as it arrives. */
  async *events(): AsyncGenerator<StreamEvent, void, undefined> {
    for (let index = 0; ; index++) {
      while (index >= this.#events.length) {
        if (this.#status === 'done') return;
        if (this.#status === 'failed') throw this.#error;
        await this.#pullNext();
      }
      yield this.#events[index] as StreamEvent;
    }
  }

  /** The text chunks as they arrive. */
  async *[Symbol.asyncIterator](): AsyncGenerator<string, void, undefined> {
    for await (const event of this.events()) if (event.type === 'text') yield event.chunk;
  }

  async text(): Promise<string> {
    return (await this.#force()).text();
  }

  /** The tools the model asked to call, in order, once it has finished. */
  async toolCalls(): Promise<ToolCall[]> {
    return (await this.#force()).toolCalls();
  }

  async usage(): Promise<Usage> {
    return (await this.#force()).usage();
  }

  async json(): Promise<unknown> {
    return (await this.#force()).json();
  }

  async durationMs(): Promise<number> {
    return (await this.#force()).durationMs();
  }

  async datetimeUtc(): Promise<string> {
    return (await this.#force()).datetimeUtc();
  }

  /** Run `callback` once when the response finishes; at once if it already has. */
  async onDone(callback: DoneCallback): Promise<void> {
    if (this.#completed) {
      await callback(this.#completed);
    } else {
      this.#doneCallbacks.push(callback);
    }
  }

  // biome-ignore lint/suspicious/noThenProperty: awaiting a response runs it to completion, as in llm.
  then<Fulfilled = CompletedResponse, Rejected = never>(
    onFulfilled?: ((value: CompletedResponse) => Fulfilled | PromiseLike<Fulfilled>) | null,
    onRejected?: ((reason: unknown) => Rejected | PromiseLike<Rejected>) | null,
  ): Promise<Fulfilled | Rejected> {
    return this.#force().then(onFulfilled, onRejected);
  }

  async #force(): Promise<CompletedResponse> {
    while (!this.#completed) {
      if (this.#status === 'failed') throw this.#error;
      await this.#pullNext();
    }
    return this.#completed;
  }

  /** One step of `execute()`, shared by every consumer so the generator is never re-entered. */
  #pullNext(): Promise<void> {
    this.#pull ??= this.#advance().finally(() => {
      this.#pull = undefined;
    });
    return this.#pull;
  }

  async #advance(): Promise<void> {
    try {
      this.signal.throwIfAborted();
      if (!this.#generator) {
        this.#status = 'running';
        this.#startedAt = performance.now();
        this.#startedUtc = new Date().toISOString();
        await this.#validate();
        this.#generator = this.model.execute(this.prompt as Prompt<never>, {
          stream: this.stream,
          response: this as Response<unknown>,
          conversation: this.conversation,
          signal: this.signal,
          attempt: this.attempt,
          key: this.#key,
        });
      }
      const step = await this.#generator.next();
      if (!step.done) {
        this.#events.push(toStreamEvent(step.value));
        return;
      }
    } catch (error) {
      this.#status = 'failed';
      // Whatever a plugin throws once its signal fired (an AbortError, a socket error), the
      // cause is the abort, and callers tell cancellation from failure by its reason.
      this.#error = this.signal.aborted ? this.signal.reason : error;
      return;
    }
    await this.#finish();
  }

  async #finish(): Promise<void> {
    const completed = new CompletedResponse({
      id: this.id,
      modelId: this.model.modelId,
      prompt: this.prompt as Prompt<unknown>,
      events: this.#events,
      usage: this.#usage,
      json: this.#json,
      resolvedModel: this.#resolvedModel,
      durationMs: Math.floor(performance.now() - this.#startedAt),
      datetimeUtc: this.#startedUtc,
    });
    this.#status = 'done';
    this.#completed = completed;
    const callbacks = this.#doneCallbacks.splice(0);
    for (const callback of callbacks) await callback(completed);
  }
}
