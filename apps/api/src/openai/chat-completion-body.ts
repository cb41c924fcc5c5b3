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

/**
 * A finished prompt as a `chat.completion`. The model's reasoning, when it showed any, is
 * `message.reasoning_content`: OpenAI's Chat Completions has no field for it, and this is the
 * one DeepSeek, vLLM and OpenRouter send and their clients read.
 */
export function completionBody(row: ResponseRow) {
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
          content: row.response ?? '',
          ...(row.reasoning ? { reasoning_content: row.reasoning } : {}),
          refusal: null,
          annotations: [],
        },
        logprobs: null,
        finish_reason: 'stop' as const,
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

  finish(): string {
    return this.#frame({}, 'stop');
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
