import { AsyncModel, type ExecuteContext, nonZeroUsageDetails, type Prompt } from '@llmq/core';
import OpenAI from 'openai';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
import type { CompletionUsage } from 'openai/resources/completions';
import { toModelError } from './openai-errors.ts';
import { buildChatMessages } from './openai-messages.ts';
import {
  type OpenAIOptions,
  openAIOptionsSchema,
  requestFieldsFromOptions,
} from './openai-options.ts';
import type { OpenAIModelConfig } from './openai-settings.ts';

const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'];
const audioTypes = ['audio/wav', 'audio/mpeg'];

export interface OpenAIChatModelInit {
  readonly config: OpenAIModelConfig;
  readonly apiKey: string | undefined;
  readonly baseUrl: string | undefined;
}

/** A Chat Completions model of OpenAI or of any OpenAI-compatible server. */
export class OpenAIChatModel extends AsyncModel<typeof openAIOptionsSchema> {
  readonly modelId: string;
  readonly optionsSchema = openAIOptionsSchema;
  override readonly canStream: boolean;
  override readonly attachmentTypes: ReadonlySet<string>;
  override readonly needsKey = 'openai';
  override readonly keyEnvVar = 'OPENAI_API_KEY';
  readonly providerModel: string;
  readonly #baseUrl: string | undefined;
  #client: OpenAI | undefined;

  constructor({ config, apiKey, baseUrl }: OpenAIChatModelInit) {
    super();
    this.modelId = config.id;
    this.providerModel = config.model ?? config.id;
    this.canStream = config.stream;
    this.attachmentTypes = new Set([
      ...(config.vision ? imageTypes : []),
      ...(config.audio ? audioTypes : []),
    ]);
    this.key = apiKey;
    this.#baseUrl = baseUrl;
  }

  override toString(): string {
    return `OpenAI Chat: ${this.modelId}`;
  }

  async *execute(
    prompt: Prompt<OpenAIOptions>,
    { stream, response, signal }: ExecuteContext,
  ): AsyncGenerator<string, void, undefined> {
    const client = this.#clientFor(this.getKey());
    const request = {
      model: this.providerModel,
      messages: await buildChatMessages(prompt.messages, signal),
      ...requestFieldsFromOptions(prompt.options),
    };
    try {
      if (stream) {
        const chunks = await client.chat.completions.create(
          { ...request, stream: true, stream_options: { include_usage: true } },
          { signal },
        );
        const combined = new CombinedChunks();
        for await (const chunk of chunks) {
          combined.add(chunk);
          const content = chunk.choices[0]?.delta?.content;
          if (content) yield content;
        }
        response.setJson(combined.json());
        recordUsage(response, combined.usage);
        if (combined.model && combined.model !== this.providerModel) {
          response.setResolvedModel(combined.model);
        }
      } else {
        const completion = await client.chat.completions.create(request, { signal });
        const content = completion.choices[0]?.message.content;
        if (content) yield content;
        response.setJson(withoutNulls(completion));
        recordUsage(response, completion.usage);
        if (completion.model !== this.providerModel) response.setResolvedModel(completion.model);
      }
    } catch (error) {
      if (signal.aborted) throw signal.reason;
      throw toModelError(error);
    }
  }

  #clientFor(apiKey: string): OpenAI {
    // Retries belong to the queue (backoff, Retry-After per model), never to the SDK.
    this.#client ??= new OpenAI({ apiKey, baseURL: this.#baseUrl ?? null, maxRetries: 0 });
    return this.#client;
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

/** A streamed answer folded into one payload, as llm's `combine_chunks` does. */
class CombinedChunks {
  content = '';
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
      finish_reason: this.finishReason,
      usage: this.usage,
    }) as Record<string, unknown>;
  }
}

/** A JSON value without null or undefined fields, as llm stores provider payloads. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const kept: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== null && field !== undefined) kept[key] = withoutNulls(field);
    }
    return kept;
  }
  return value;
}
