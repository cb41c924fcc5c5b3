import Anthropic from '@anthropic-ai/sdk';
import {
  AsyncModel,
  type ExecuteContext,
  type ExecuteYield,
  OptionsError,
  type OptionsSchema,
  type Prompt,
  type PromptCallOptions,
  type Response,
} from '@llmq/core';
import { AnthropicBatchApi } from './anthropic-batch-api.ts';
import { type AnthropicEndpoint, anthropicEndpointOf } from './anthropic-endpoint.ts';
import { toModelError } from './anthropic-errors.ts';
import { buildAnthropicInput } from './anthropic-messages.ts';
import type { AnthropicOptionName } from './anthropic-option-names.ts';
import { type AnthropicOptions, anthropicOptionsSchemaFor } from './anthropic-options.ts';
import { type AnthropicPayload, payloadOfMessage } from './anthropic-payload.ts';
import { anthropicRequest } from './anthropic-request.ts';
import {
  type AnthropicModelConfigInput,
  type AnthropicThinking,
  defaultOptionNames,
  parseAnthropicModelConfig,
} from './anthropic-settings.ts';
import { toolCallsOf } from './anthropic-tool-calls.ts';
import { anthropicUsage } from './anthropic-usage.ts';
import { StreamedMessage } from './streamed-message.ts';
import { toolChoiceIssue } from './tool-choice-issue.ts';

const imageTypes = ['image/png', 'image/jpeg', 'image/gif', 'image/webp'];
/**
 * The SDK's own limit on a call (10 minutes, and a refusal up front of a whole answer with a
 * large `max_tokens`) would cut long thinking short: the queue's time limit (the call's
 * signal) is what bounds a call, so the SDK's is set past it.
 */
const requestTimeoutMs = 60 * 60 * 1000;

export interface AnthropicModelInit {
  /** The model's entry as `LLMQ_ANTHROPIC_MODELS` takes it; defaults are filled in. */
  readonly config: AnthropicModelConfigInput;
  readonly apiKey: string | undefined;
  /** Where it is called; by default Anthropic's server with `ANTHROPIC_API_KEY`. */
  readonly endpoint?: AnthropicEndpoint | undefined;
}

/**
 * A Claude model called through Anthropic's Messages API with the official SDK, as
 * llm-anthropic's models are. Its options are those its configuration gives (see
 * `defaultOptionNames`), so a model that refuses sampling options refuses them before anything
 * is queued.
 */
export class AnthropicModel extends AsyncModel<OptionsSchema> {
  readonly modelId: string;
  readonly optionsSchema: OptionsSchema;
  override readonly canStream: boolean;
  override readonly supportsSchema: boolean;
  override readonly supportsTools: boolean;
  override readonly attachmentTypes: ReadonlySet<string>;
  override readonly needsKey: string | undefined;
  override readonly keyEnvVar: string | undefined;
  override readonly provider: string;
  override readonly endpoint: string;
  override readonly api = 'messages';
  override readonly fallbacks: readonly string[];
  override readonly batchApi: AnthropicBatchApi;
  readonly providerModel: string;
  readonly thinking: AnthropicThinking;
  readonly acceptedOptions: readonly AnthropicOptionName[];
  readonly #defaultMaxTokens: number;
  readonly #baseUrl: string;
  #client: { readonly apiKey: string | undefined; readonly client: Anthropic } | undefined;

  constructor({ config: written, apiKey, endpoint: where }: AnthropicModelInit) {
    super();
    const config = parseAnthropicModelConfig(written);
    this.modelId = config.id;
    this.providerModel = config.model ?? config.id;
    this.canStream = config.stream;
    this.supportsSchema = config.schemas;
    this.supportsTools = config.tools;
    this.thinking = config.thinking;
    this.acceptedOptions = config.options ?? defaultOptionNames(config);
    this.optionsSchema = anthropicOptionsSchemaFor(this.acceptedOptions);
    this.attachmentTypes = new Set([
      ...(config.vision ? imageTypes : []),
      ...(config.pdf ? ['application/pdf'] : []),
    ]);
    const endpoint = where ?? anthropicEndpointOf(config, undefined);
    this.provider = endpoint.provider;
    this.endpoint = endpoint.endpoint;
    // A model on another server has its key stored under its provider's name: a key stored for
    // Anthropic is never sent to that server.
    this.keyEnvVar = endpoint.keyVariable;
    this.needsKey = endpoint.keyName;
    this.key = apiKey;
    this.fallbacks = config.fallbacks;
    this.#defaultMaxTokens = config.max_tokens;
    this.#baseUrl = endpoint.baseUrl;
    this.batchApi = new AnthropicBatchApi({
      provider: this.provider,
      providerModel: this.providerModel,
      clientFor: (key) => this.#clientFor(this.needsKey ? this.getKey(key) : undefined),
      // Exactly what a non-streamed call sends, built by the same code.
      requestBody: async (prompt, signal) => ({
        ...(await this.#request(prompt as Prompt<Record<string, unknown>>, signal)),
        stream: false,
      }),
    });
  }

  override toString(): string {
    return `Anthropic Messages: ${this.modelId}`;
  }

  /**
   * A prompt as for any model, except that a `tool_choice` without tools, or naming a tool the
   * prompt does not give, is refused before anything is queued: Anthropic answers 400 only once
   * the prompt runs.
   */
  override prompt(text?: string, call: PromptCallOptions = {}): Response<Record<string, unknown>> {
    const response = super.prompt(text, call);
    const issue = toolChoiceIssue(
      response.prompt.options as AnthropicOptions,
      response.prompt.tools,
    );
    if (issue) throw new OptionsError(issue.message, [issue]);
    return response;
  }

  async *execute(
    prompt: Prompt<Record<string, unknown>>,
    { stream, response, signal, key }: ExecuteContext,
  ): AsyncGenerator<ExecuteYield, void, undefined> {
    // A server without keys is sent none.
    const client = this.#clientFor(this.needsKey ? this.getKey(key) : undefined);
    const request = await this.#request(prompt, signal);
    let payload: AnthropicPayload;
    try {
      if (stream) {
        const events = await client.messages.create({ ...request, stream: true }, { signal });
        const message = new StreamedMessage();
        for await (const event of events) {
          const piece = message.add(event);
          if (piece !== undefined) yield piece;
        }
        // The SDK ends a stream quietly when its signal aborts; that is a cancel, not an answer.
        if (signal.aborted) throw signal.reason;
        payload = message.payload();
      } else {
        payload = payloadOfMessage(
          await client.messages.create({ ...request, stream: false }, { signal }),
        );
        for (const block of payload.content) {
          if (block.type === 'thinking' && typeof block.thinking === 'string' && block.thinking) {
            yield { type: 'reasoning', chunk: block.thinking };
          } else if (block.type === 'text' && typeof block.text === 'string' && block.text) {
            yield block.text;
          }
        }
      }
      for (const call of toolCallsOf(payload)) yield { type: 'tool_call', call };
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toModelError(error);
    }
    response.setJson(payload as unknown as Record<string, unknown>);
    response.setUsage(anthropicUsage(payload.usage));
    if (payload.model && payload.model !== this.providerModel) {
      response.setResolvedModel(payload.model);
    }
  }

  /** The Messages request of a prompt (without `stream`), for real-time calls and batches alike. */
  async #request(prompt: Prompt<Record<string, unknown>>, signal: AbortSignal | undefined) {
    // The options were checked against a subset of AnthropicOptions' schema (parseOptions).
    const options = prompt.options as AnthropicOptions;
    return anthropicRequest({
      model: this.providerModel,
      input: await buildAnthropicInput(prompt.messages, {
        replayThinking: this.#thinkingOn(options),
        cache: options.cache === true,
        signal,
      }),
      options,
      defaultMaxTokens: this.#defaultMaxTokens,
      thinking: this.thinking,
      schema: prompt.schema,
      tools: prompt.tools,
    });
  }

  /**
   * Whether this request thinks, so earlier turns' thinking goes back: Anthropic wants a
   * thinking turn's signed blocks unchanged when thinking goes on (and needs them before a tool
   * call's results). An adaptive model may think whenever it chooses.
   */
  #thinkingOn(options: AnthropicOptions): boolean {
    if (this.thinking === 'adaptive') return true;
    if (this.thinking === 'budget') {
      return (
        options.thinking === true ||
        (options.thinking !== false && options.thinking_budget !== undefined)
      );
    }
    return false;
  }

  #clientFor(apiKey: string | undefined): Anthropic {
    // A key stored or replaced while the process runs takes effect at the next call: the client
    // is kept only while the key is the same.
    if (this.#client === undefined || this.#client.apiKey !== apiKey) {
      // Retries belong to the queue (backoff, retry-after per model), never to the SDK.
      const client = new Anthropic({
        baseURL: this.#baseUrl,
        maxRetries: 0,
        timeout: requestTimeoutMs,
        ...(apiKey === undefined
          ? // Without a key, no credential of the environment's either: no header names one.
            {
              apiKey: null,
              authToken: null,
              defaultHeaders: { authorization: null, 'x-api-key': null },
            }
          : { apiKey }),
      });
      this.#client = { apiKey, client };
    }
    return this.#client.client;
  }
}
