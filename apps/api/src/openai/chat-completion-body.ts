import type { ToolCallBody } from '@llmq/contracts';
import type { ResponseRow } from '@llmq/db/reads';

export interface TokenCounts {
  readonly input: number | null;
  readonly output: number | null;
  /** llmq's usage details, as the model reported them (OpenAI's `*_tokens_details` kept as such). */
  readonly details?: Readonly<Record<string, unknown>> | null | undefined;
}

/**
 * OpenAI's usage object; a model that reports no counts shows zeros. Reasoning tokens, when the
 * model counted them, are reported where OpenAI puts them, as the part of `completion_tokens`
 * spent on reasoning.
 */
export function usageBody(usage: TokenCounts) {
  const prompt = usage.input ?? 0;
  const completion = usage.output ?? 0;
  const reasoningTokens = reasoningTokensOf(usage.details);
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    ...(reasoningTokens === undefined
      ? {}
      : { completion_tokens_details: { reasoning_tokens: reasoningTokens } }),
  };
}

/** The reasoning tokens in llmq's usage details (`completion_tokens_details.reasoning_tokens`). */
function reasoningTokensOf(
  details: Readonly<Record<string, unknown>> | null | undefined,
): number | undefined {
  const completionDetails = details?.completion_tokens_details;
  if (typeof completionDetails !== 'object' || completionDetails === null) return undefined;
  const tokens = (completionDetails as Record<string, unknown>).reasoning_tokens;
  return typeof tokens === 'number' ? tokens : undefined;
}

/** The completion id of a prompt: the llmq prompt id, findable from either API. */
export function completionId(promptId: string): string {
  return `chatcmpl-${promptId}`;
}

export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}

/** A call as OpenAI's `tool_calls` show it: its arguments as JSON text, in the model's key order. */
export function openAIToolCall(call: ToolCallBody) {
  return {
    id: call.id,
    type: 'function' as const,
    function: { name: call.name, arguments: JSON.stringify(call.arguments) },
  };
}

/**
 * A finished prompt as a `chat.completion`. The model's reasoning, when it showed any, is
 * `message.reasoning_content`: OpenAI's Chat Completions has no field for it, and this is the
 * one DeepSeek, vLLM and OpenRouter send and their clients read. A prompt that ended with calls
 * for the client shows them as `message.tool_calls` with `finish_reason: "tool_calls"`, its
 * content null when the model said nothing besides, as OpenAI's is. (The facade's tools are all
 * the client's, so the prompt is a chain of one step: its row has the calls.)
 */
export function completionBody(row: ResponseRow) {
  const toolCalls = row.toolCalls ?? [];
  const text = row.response ?? '';
  return {
    id: completionId(row.id),
    object: 'chat.completion' as const,
    created: unixSeconds(row.createdAt),
    model: row.model,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: toolCalls.length > 0 && !text ? null : text,
          ...(row.reasoning ? { reasoning_content: row.reasoning } : {}),
          ...(toolCalls.length > 0 ? { tool_calls: toolCalls.map(openAIToolCall) } : {}),
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: toolCalls.length > 0 ? ('tool_calls' as const) : ('stop' as const),
      },
    ],
    usage: usageBody({
      input: row.inputTokens,
      output: row.outputTokens,
      details: row.tokenDetails,
    }),
    system_fingerprint: null,
  };
}

/** Builds the frames of one streamed completion. */
export class ChunkFrames {
  readonly #head: string;
  readonly #includeUsage: boolean;

  constructor(row: ResponseRow, includeUsage: boolean) {
    // Every chunk shares id, created and model: the prefix is serialised once.
    this.#head = `data: {"id":${JSON.stringify(completionId(row.id))},"object":"chat.completion.chunk","created":${unixSeconds(row.createdAt)},"model":${JSON.stringify(row.model)},"system_fingerprint":null,`;
    this.#includeUsage = includeUsage;
  }

  #frame(delta: Record<string, unknown>, finishReason: string | null): string {
    const usage = this.#includeUsage ? ',"usage":null' : '';
    return `${this.#head}"choices":[{"index":0,"delta":${JSON.stringify(delta)},"logprobs":null,"finish_reason":${JSON.stringify(finishReason)}}]${usage}}\n\n`;
  }

  role(): string {
    return this.#frame({ role: 'assistant', content: '', refusal: null }, null);
  }

  content(text: string): string {
    return this.#frame({ content: text }, null);
  }

  /**
   * Reasoning as `delta.reasoning_content`, the field DeepSeek, vLLM and OpenRouter stream it in
   * (OpenAI's Chat Completions streams none); OpenAI's SDK passes it through untouched.
   */
  reasoning(text: string): string {
    return this.#frame({ reasoning_content: text }, null);
  }

  /**
   * Calls for the client as OpenAI streams them, which the SDK's stream helpers require: each
   * call's first delta carries its index, id, type and name with empty arguments, the next one
   * its arguments' whole JSON text.
   */
  toolCalls(calls: readonly ToolCallBody[]): string[] {
    return calls.flatMap((call, index) => {
      const { id, type, function: named } = openAIToolCall(call);
      return [
        this.#frame(
          { tool_calls: [{ index, id, type, function: { name: named.name, arguments: '' } }] },
          null,
        ),
        this.#frame({ tool_calls: [{ index, function: { arguments: named.arguments } }] }, null),
      ];
    });
  }

  finish(reason: 'stop' | 'tool_calls' = 'stop'): string {
    return this.#frame({}, reason);
  }

  /** The usage chunk (no choices) sent last when `stream_options.include_usage` asks for it. */
  usage(usage: TokenCounts): string | undefined {
    if (!this.#includeUsage) return undefined;
    return `${this.#head}"choices":[],"usage":${JSON.stringify(usageBody(usage))}}\n\n`;
  }
}

export const doneFrame = 'data: [DONE]\n\n';

/** An error in the middle of a stream, as OpenAI sends one (the SDK raises it as an APIError). */
export function errorFrame(message: string, code: string): string {
  return `data: ${JSON.stringify({ error: { message, type: 'server_error', param: null, code } })}\n\n`;
}
