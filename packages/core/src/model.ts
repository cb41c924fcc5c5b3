import type { z } from 'zod';
import type { Attachment } from './attachment.ts';
import { validateAttachments } from './attachment-validation.ts';
import { Conversation, type ConversationInit } from './conversation.ts';
import { NeedsKeyError, SchemaNotSupportedError, ToolsNotSupportedError } from './errors.ts';
import type { Message } from './message.ts';
import { type OptionsSchema, parseOptions } from './options.ts';
import { type JsonSchema, Prompt } from './prompt.ts';
import type { ProviderBatchApi } from './provider-batch.ts';
import { Response } from './response.ts';
import type { ExecuteYield } from './stream-event.ts';
import type { Tool, ToolResult } from './tool.ts';
import { validateTools } from './tool-validation.ts';

export interface ExecuteContext {
  /** Whether the caller wants chunks as they come; a plugin may still answer in one chunk. */
  readonly stream: boolean;
  /** Where the plugin records usage, the raw payload and the resolved model. */
  readonly response: Response<unknown>;
  readonly conversation: Conversation | undefined;
  /** Aborted when the job is cancelled or times out; pass it to every request. */
  readonly signal: AbortSignal;
  /** 1 for a first run, n for the n-th run of the same prompt after retries. */
  readonly attempt: number;
  /**
   * The key for this call, when whoever runs the model resolved one (llmq's stored provider
   * keys, like llm's `execute(…, key)`); pass it to `getKey()`, which falls back to `key`.
   */
  readonly key: string | undefined;
}

export interface PromptCallOptions {
  readonly system?: string | undefined;
  readonly attachments?: readonly Attachment[] | undefined;
  /** Raw options, validated against the model's schema before anything runs. */
  readonly options?: unknown;
  /** A JSON Schema the answer must match; refused unless the model `supportsSchema`. */
  readonly schema?: JsonSchema | undefined;
  /** Tools the model may call; refused unless the model `supportsTools`. */
  readonly tools?: readonly Tool[] | undefined;
  /** Results of the tool calls the previous turn made; refused unless the model `supportsTools`. */
  readonly toolResults?: readonly ToolResult[] | undefined;
  readonly stream?: boolean | undefined;
  readonly signal?: AbortSignal | undefined;
  readonly attempt?: number | undefined;
  /** Earlier turns as messages, for a conversation replayed from storage. */
  readonly history?: readonly Message[] | undefined;
  readonly conversation?: Conversation | undefined;
  /** The key to call the provider with, over the model's configured `key`. */
  readonly key?: string | undefined;
}

/**
 * An async model, like llm's `AsyncModel`. Plugins subclass it and implement `execute()` as an
 * async generator of text chunks (or typed stream events).
 */
export abstract class AsyncModel<Schema extends OptionsSchema = OptionsSchema> {
  abstract readonly modelId: string;
  abstract readonly optionsSchema: Schema;
  readonly canStream: boolean = true;
  /** Whether the model can be asked for JSON matching a schema (llm's `supports_schema`). */
  readonly supportsSchema: boolean = false;
  /** Whether the model can call tools (llm's `supports_tools`). */
  readonly supportsTools: boolean = false;
  /** MIME types this model accepts; empty means it takes no attachments. */
  readonly attachmentTypes: ReadonlySet<string> = new Set<string>();
  /** The name of the key this model needs, if any (e.g. `openai`). */
  readonly needsKey: string | undefined = undefined;
  /** The environment variable the key is configured through, named in errors. */
  readonly keyEnvVar: string | undefined = undefined;
  /** The configured key; the plugin sets it from its settings. */
  key: string | undefined = undefined;
  /** Who serves the model (`openai`, `anthropic`, a configured endpoint's name); shown, never a secret. */
  readonly provider: string | undefined = undefined;
  /** Where the model is called: its base URL without credentials, for listings. */
  readonly endpoint: string | undefined = undefined;
  /** Which of its provider's APIs it is called through (`chat`, `responses`, `messages`). */
  readonly api: string | undefined = undefined;
  /**
   * Models (ids or aliases) tried in order when this one keeps failing with retryable errors,
   * or refuses the prompt as too long for its context: the answer names the one that answered.
   */
  readonly fallbacks: readonly string[] = [];
  /** Its provider's batch API, when it has one: batches in provider mode go through it. */
  readonly batchApi: ProviderBatchApi | undefined = undefined;

  abstract execute(
    prompt: Prompt<z.output<Schema>>,
    context: ExecuteContext,
  ): AsyncGenerator<ExecuteYield, void, undefined>;

  /** Validate raw options; unknown keys and bad values raise `OptionsError`. */
  parseOptions(raw: unknown): z.output<Schema> {
    return parseOptions(this.modelId, this.optionsSchema, raw);
  }

  /** Refuse attachments this model does not accept, with llm's exact messages. */
  validateAttachments(attachments: readonly Attachment[], signal?: AbortSignal): Promise<void> {
    return validateAttachments(this.attachmentTypes, attachments, signal);
  }

  /** The key to call the provider with: an explicit one, else the configured one. */
  getKey(explicit?: string): string {
    const key = explicit || this.key;
    if (key) return key;
    throw new NeedsKeyError(this.modelId, this.keyEnvVar, this.needsKey);
  }

  /**
   * Ask the model. Options, schema and tools are checked at once; attachments are checked before
   * `execute()` runs, when the response is first iterated or awaited.
   */
  prompt(text?: string, call: PromptCallOptions = {}): Response<z.output<Schema>> {
    const options = this.parseOptions(call.options);
    if (call.schema && !this.supportsSchema) throw new SchemaNotSupportedError(this.modelId);
    const tools = call.tools ?? [];
    const toolResults = call.toolResults ?? [];
    // A model that cannot call tools cannot read their results either.
    if ((tools.length > 0 || toolResults.length > 0) && !this.supportsTools) {
      throw new ToolsNotSupportedError(this.modelId);
    }
    validateTools(tools);
    const prompt = new Prompt({
      prompt: text,
      system: call.system,
      attachments: call.attachments,
      options,
      schema: call.schema,
      tools,
      toolResults,
      history: call.history,
    });
    const signal = call.signal ?? new AbortController().signal;
    return new Response({
      model: this as AsyncModel,
      prompt,
      stream: (call.stream ?? true) && this.canStream,
      signal,
      attempt: call.attempt ?? 1,
      conversation: call.conversation,
      key: call.key,
      validate: () => this.validateAttachments(prompt.attachments, signal),
    });
  }

  /** Start a conversation whose turns replay every earlier turn to the model. */
  conversation(init: ConversationInit = {}): Conversation<Schema> {
    return new Conversation(this, init);
  }

  toString(): string {
    return `${this.constructor.name}: ${this.modelId}`;
  }
}
