import {
  AsyncModel,
  type ExecuteContext,
  type ExecuteYield,
  ModelError,
  nonZeroUsageDetails,
  type OptionIssue,
  OptionsError,
  type OptionsSchema,
  PluginError,
  type Prompt,
  type PromptCallOptions,
  type Response,
} from '@llmq/core';
import type OpenAI from 'openai';
import type {
  ChatCompletionChunk,
  ChatCompletionMessageToolCall,
} from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { OpenAIBatchApi } from './openai-batch-api.ts';
import { OpenAIClients } from './openai-clients.ts';
import { type OpenAIEndpoint, openAIEndpointOf } from './openai-endpoint.ts';
import { toModelError } from './openai-errors.ts';
import { buildChatMessages } from './openai-messages.ts';
import {
  chatModelOptionNames,
  chatOnlyOptionNames,
  type OpenAIOptionName,
  reasoningModelOptionNames,
  responsesReasoningOptionNames,
  schemaOptionNames,
  toolOptionNames,
} from './openai-option-names.ts';
import {
  type OpenAIOptions,
  openAIOptionsSchemaFor,
  requestFieldsFromOptions,
} from './openai-options.ts';
import {
  type OpenAIApi,
  type OpenAIModelConfigInput,
  openAIApiFor,
  openAIApiIssue,
  parseOpenAIModelConfig,
} from './openai-settings.ts';
import { reasoningText } from './reasoning-text.ts';
import { callResponsesApi } from './responses-api-call.ts';
import { buildResponsesInput } from './responses-input.ts';
import { responsesRequestFields } from './responses-request-fields.ts';
import { StreamedToolCalls } from './streamed-tool-calls.ts';
import { toolCallFromText } from './tool-call-arguments.ts';
import { toolChoiceIssue } from './tool-choice-issue.ts';
import { withoutNulls } from './without-nulls.ts';

const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const audioTypes = ['audio/wav', 'audio/mpeg'];

export interface OpenAIChatModelInit {
  /** The model's entry as `LLMQ_OPENAI_MODELS` takes it; defaults are filled in. */
  readonly config: OpenAIModelConfigInput;
  /** The model's key: the value of its key variable (`OPENAI_API_KEY` unless `key_env` says). */
  readonly apiKey: string | undefined;
  /** `OPENAI_BASE_URL`: where a model without its own `base_url` is called. */
  readonly baseUrl: string | undefined;
  /** The plugin's SDK clients, shared by its models; by default the model's own. */
  readonly clients?: OpenAIClients | undefined;
}

/**
 * A model of OpenAI or of any OpenAI-compatible server, called through Chat Completions or the
 * Responses API as its configuration's `api` says (`openAIApiFor`). Its options are the ones its
 * configuration declares (each a subset of `OpenAIOptions`), so a reasoning model refuses
 * `max_tokens` and sampling options before anything is queued, as OpenAI would after.
 */
export class OpenAIChatModel extends AsyncModel<OptionsSchema> {
  readonly modelId: string;
  readonly optionsSchema: OptionsSchema;
  override readonly canStream: boolean;
  override readonly supportsSchema: boolean;
  override readonly supportsTools: boolean;
  /** A reasoning model (o-series, gpt-5): OpenAI answers 400 to `max_tokens` for these. */
  readonly reasoning: boolean;
  /** The API the model is called through. */
  override readonly api: OpenAIApi;
  readonly acceptedOptions: readonly OpenAIOptionName[];
  override readonly attachmentTypes: ReadonlySet<string>;
  /** The key's stored name: `openai`, the provider's for another key, none for a keyless server. */
  override readonly needsKey: string | undefined;
  override readonly keyEnvVar: string | undefined;
  override readonly provider: string;
  override readonly endpoint: string;
  override readonly fallbacks: readonly string[];
  readonly providerModel: string;
  /** OpenAI's Batch API, for Chat Completions models only (Responses answers are not mapped). */
  override readonly batchApi: OpenAIBatchApi | undefined;
  readonly #where: OpenAIEndpoint;
  readonly #clients: OpenAIClients;

  constructor({ config: written, apiKey, baseUrl, clients }: OpenAIChatModelInit) {
    super();
    const config = parseOpenAIModelConfig(written);
    this.modelId = config.id;
    this.reasoning = config.reasoning;
    this.supportsSchema = config.schemas;
    this.supportsTools = config.tools;
    this.#where = openAIEndpointOf(config, baseUrl);
    this.#clients = clients ?? new OpenAIClients();
    this.provider = this.#where.provider;
    this.endpoint = this.#where.endpoint;
    this.needsKey = this.#where.keyName;
    this.keyEnvVar = this.#where.keyVariable;
    this.fallbacks = config.fallbacks ?? [];
    this.api = openAIApiFor(config, this.#where.baseUrl);
    const apiIssue = openAIApiIssue(config, this.api);
    if (apiIssue) throw new PluginError('@llmq/plugin-openai', `${config.id}: ${apiIssue}`);
    const configured =
      config.options ??
      (config.reasoning ? reasoningModelOptionNames : chatModelOptionNames).filter(
        (name) => this.api === 'chat' || !chatOnlyOptionNames.has(name),
      );
    this.acceptedOptions = [
      ...new Set([
        ...configured,
        ...(config.schemas ? schemaOptionNames : []),
        ...(config.tools ? toolOptionNames : []),
        ...(config.reasoning && this.api === 'responses' ? responsesReasoningOptionNames : []),
      ]),
    ];
    this.optionsSchema = openAIOptionsSchemaFor(this.acceptedOptions);
    this.providerModel = config.model ?? config.id;
    this.canStream = config.stream;
    this.attachmentTypes = new Set([
      ...(config.vision ? imageTypes : []),
      // Over Responses a model that sees images reads PDFs too (`input_file`), as in llm.
      ...(config.vision && this.api === 'responses' ? ['application/pdf'] : []),
      ...(config.audio ? audioTypes : []),
    ]);
    // A server that needs no key gets none, even when OPENAI_API_KEY is set.
    this.key = this.needsKey === undefined ? undefined : apiKey;
    this.batchApi =
      this.api === 'chat'
        ? new OpenAIBatchApi({
            provider: this.provider,
            providerModel: this.providerModel,
            endpoint: '/v1/chat/completions',
            clientFor: (key) => this.#clientFor(key),
            requestBody: (prompt, signal) =>
              this.#chatRequest(prompt as Prompt<Record<string, unknown>>, signal),
          })
        : undefined;
  }

  #clientFor(key: string | undefined): OpenAI {
    return this.#clients.clientFor({
      endpoint: this.#where,
      apiKey: this.needsKey === undefined ? undefined : this.getKey(key),
    });
  }

  /** The Chat Completions body of a prompt, as a non-streamed call sends it (and a batch line). */
  async #chatRequest(prompt: Prompt<Record<string, unknown>>, signal?: AbortSignal) {
    return {
      model: this.providerModel,
      messages: await buildChatMessages(prompt.messages, signal),
      // The options were checked against a subset of OpenAIOptions' schema (parseOptions).
      ...requestFieldsFromOptions(prompt.options as OpenAIOptions, prompt.schema, prompt.tools),
    };
  }

  override toString(): string {
    return `${this.api === 'responses' ? 'OpenAI Responses' : 'OpenAI Chat'}: ${this.modelId}`;
  }

  /**
   * Options as for any model, except that `max_tokens` for a reasoning model is refused with
   * what to use instead: current OpenAI reasoning models answer 400 to it.
   */
  override parseOptions(raw: unknown): Record<string, unknown> {
    const maxTokens = (raw as { max_tokens?: unknown } | null | undefined)?.max_tokens;
    if (!this.reasoning || maxTokens === undefined || this.acceptedOptions.includes('max_tokens')) {
      return super.parseOptions(raw);
    }
    const { max_tokens: _refused, ...rest } = raw as Record<string, unknown>;
    const refusal: OptionIssue = {
      path: 'max_tokens',
      message:
        `Option 'max_tokens' is not supported by ${this.modelId}, a reasoning model; ` +
        'use max_completion_tokens instead',
    };
    let issues: readonly OptionIssue[] = [refusal];
    try {
      super.parseOptions(rest);
    } catch (error) {
      if (!(error instanceof OptionsError)) throw error;
      issues = [refusal, ...error.issues];
    }
    throw new OptionsError(issues.map((issue) => issue.message).join('; '), issues);
  }

  /**
   * A prompt as for any model, except that `tool_choice` and `parallel_tool_calls` without tools,
   * or a `tool_choice` naming a tool the prompt does not give, are refused before anything is
   * queued: OpenAI answers 400 to them only once the prompt runs.
   */
  override prompt(text?: string, call: PromptCallOptions = {}): Response<Record<string, unknown>> {
    const response = super.prompt(text, call);
    const issue = toolChoiceIssue(response.prompt.options as OpenAIOptions, response.prompt.tools);
    if (issue) throw new OptionsError(issue.message, [issue]);
    return response;
  }

  async *execute(
    prompt: Prompt<Record<string, unknown>>,
    { stream, response, signal, key }: ExecuteContext,
  ): AsyncGenerator<ExecuteYield, void, undefined> {
    const client = this.#clientFor(key);
    if (this.api === 'responses') {
      yield* this.#executeResponses(client, prompt, { stream, response, signal });
      return;
    }
    const request = await this.#chatRequest(prompt, signal);
    try {
      if (stream) {
        const chunks = await client.chat.completions.create(
          { ...request, stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        const combined = new CombinedChunks();
        for await (const chunk of chunks) {
          combined.add(chunk);
          const delta = chunk.choices[0]?.delta;
          const reasoning = reasoningText(delta);
          if (reasoning) yield { type: 'reasoning', chunk: reasoning };
          if (delta?.content) yield delta.content;
        }
        // A call's arguments are whole only once its stream has ended.
        for (const toolCall of combined.toolCalls.calls()) {
          yield { type: 'tool_call', call: toolCall };
        }
        response.setJson(combined.json());
        recordUsage(response, combined.usage);
        if (combined.model && combined.model !== this.providerModel) {
          response.setResolvedModel(combined.model);
        }
      } else {
        const completion = await client.chat.completions.create(request, { signal });
        const message = completion.choices[0]?.message;
        const reasoning = reasoningText(message);
        if (reasoning) yield { type: 'reasoning', chunk: reasoning };
        if (message?.content) yield message.content;
        for (const toolCall of message?.tool_calls ?? []) {
          yield { type: 'tool_call', call: completedToolCall(toolCall) };
        }
        response.setJson(withoutNulls(completion));
        recordUsage(response, completion.usage);
        if (completion.model !== this.providerModel) response.setResolvedModel(completion.model);
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toModelError(error);
    }
  }

  async *#executeResponses(
    client: OpenAI,
    prompt: Prompt<Record<string, unknown>>,
    context: Pick<ExecuteContext, 'stream' | 'response' | 'signal'>,
  ): AsyncGenerator<ExecuteYield, void, undefined> {
    const { instructions, input } = await buildResponsesInput(prompt.messages, {
      sendReasoning: this.reasoning,
      model: this.providerModel,
      signal: context.signal,
    });
    const request = {
      model: this.providerModel,
      ...(instructions === undefined ? {} : { instructions }),
      input,
      // The options were checked against a subset of OpenAIOptions' schema (parseOptions).
      ...responsesRequestFields(
        prompt.options as OpenAIOptions,
        prompt.schema,
        prompt.tools,
        this.reasoning,
      ),
    };
    try {
      yield* callResponsesApi(client, request, context);
    } catch (error) {
      if (context.signal.aborted) throw context.signal.reason;
      throw toModelError(error);
    }
  }
}

function recordUsage(
  response: ExecuteContext['response'],
  usage: CompletionUsage | null | undefined,
) {
  if (!usage) return;
  const { prompt_tokens, completion_tokens, total_tokens: _total, ...rest } = usage;
  response.setUsage({
    input: prompt_tokens,
    output: completion_tokens,
    details: nonZeroUsageDetails(rest as Record<string, unknown>),
  });
}

/** A tool call of a whole (not streamed) answer; only functions are ever sent as tools. */
function completedToolCall(call: ChatCompletionMessageToolCall) {
  if (call.type !== 'function') {
    throw new ModelError(`The model made a ${call.type} tool call; only functions are sent`, {
      retryable: false,
    });
  }
  return toolCallFromText(call.id, call.function.name, call.function.arguments);
}

/** A streamed answer folded into one payload, as llm's `combine_chunks` does. */
class CombinedChunks {
  content = '';
  readonly toolCalls = new StreamedToolCalls();
  finishReason: string | null = null;
  usage: CompletionUsage | null = null;
  id: string | undefined;
  model: string | undefined;
  created: number | undefined;

  add(chunk: ChatCompletionChunk): void {
    this.id ??= chunk.id;
    this.model ??= chunk.model;
    this.created ??= chunk.created;
    if (chunk.usage) this.usage = chunk.usage;
    for (const choice of chunk.choices) {
      if (choice.delta?.content) this.content += choice.delta.content;
      this.toolCalls.add(choice.delta?.tool_calls);
      if (choice.finish_reason) this.finishReason = choice.finish_reason;
    }
  }

  json(): Record<string, unknown> {
    return withoutNulls({
      id: this.id,
      object: 'chat.completion.chunk',
      model: this.model,
      created: this.created,
      content: this.content,
      tool_calls: this.toolCalls.size > 0 ? this.toolCalls.raw() : undefined,
      finish_reason: this.finishReason,
      usage: this.usage,
    }) as Record<string, unknown>;
  }
}
