import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { errorBody, readBody, sendJson } from './json-http.ts';
import { type OpenAIBatchOptions, OpenAIBatchRoutes } from './openai-batch-routes.ts';
import { answerChat, type ChatRequest } from './openai-chat-answer.ts';
import { isOpenAIReasoningModel, refusedParameter } from './reasoning-model-rules.ts';
import type { ResponsesRequest } from './responses-api-request.ts';
import { answerResponses, refuseResponsesRequest } from './responses-api-route.ts';
import { type ScriptedToolCall, toolRequestIssue } from './scripted-tool-calls.ts';

export type { ScriptedToolCall } from './scripted-tool-calls.ts';

/** How the server answers one request. */
export interface ScriptedReply {
  /** The assistant's text (default `ok`). */
  readonly text?: string;
  /** The exact streamed pieces; by default the text is split into words. */
  readonly chunks?: readonly string[];
  /**
   * The usage object, in the shape of the API asked (`prompt_tokens`… for chat, `input_tokens`…
   * for Responses); by default word counts with OpenAI's zero-valued detail fields.
   */
  readonly usage?: Record<string, unknown>;
  /** The model name reported back (default: the requested one). */
  readonly model?: string;
  /** Answer with this HTTP status and an OpenAI-shaped error body instead. */
  readonly status?: number;
  readonly error?: { message: string; type?: string; param?: string | null; code?: string | null };
  readonly headers?: Readonly<Record<string, string>>;
  /** Wait before each streamed chunk. */
  readonly chunkDelayMs?: number;
  /** Drop the connection after this many content chunks of a stream. */
  readonly disconnectAfterChunks?: number;
  /**
   * Reasoning text sent before the answer, split into words like the text. By default a
   * reasoning model reasons (see `reasoningModel`) and any other model does not.
   */
  readonly reasoning?: string;
  /** The field reasoning goes in: `reasoning_content` (DeepSeek, vLLM) or `reasoning` (OpenRouter). */
  readonly reasoningField?: 'reasoning_content' | 'reasoning';
  /**
   * Tools to call, for a request that gives tools (else the answer is a 400): the answer ends
   * with `finish_reason: "tool_calls"`, its content null unless `text` is given.
   */
  readonly toolCalls?: readonly ScriptedToolCall[];
  /**
   * Responses API only: the response fails after it starts, with this error (`response.failed`
   * when streamed, a response with `status: "failed"` when not), as OpenAI reports a failure
   * that comes after the request was accepted.
   */
  readonly failure?: { readonly code: string; readonly message: string };
}

export interface RecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export type ReplyFunction = (request: RecordedRequest) => ScriptedReply | Promise<ScriptedReply>;

export interface OpenAICompatibleServer {
  /** The base URL to give the SDK, ending in `/v1`. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: RecordedRequest[];
  /** Answer the next chat request with this reply (first in, first out). */
  enqueue(...replies: ScriptedReply[]): void;
  close(): Promise<void>;
}

export interface OpenAICompatibleServerOptions extends OpenAIBatchOptions {
  /** The reply when nothing is enqueued. */
  readonly reply?: ReplyFunction;
  /** Whether to keep every request (benchmarks turn this off). */
  readonly record?: boolean;
  /** Which requested model names are reasoning models; by default OpenAI's (see below). */
  readonly reasoningModel?: (model: string) => boolean;
}

/**
 * A local OpenAI-compatible HTTP server on a random loopback port that speaks the real Chat
 * Completions protocol: JSON answers, SSE `data: {...}` chunks ending with `data: [DONE]`, a
 * usage chunk last when `stream_options.include_usage` is set, and OpenAI-shaped error bodies.
 * It speaks the Responses API too (`POST /v1/responses`, see responses-api-route.ts and
 * responses-api-answer.ts): the same scripted replies, its own events and 400s.
 *
 * Like the real API it answers 400, with OpenAI's error body, to `max_tokens` and to sampling
 * options (`temperature` other than 1, `top_p`, the penalties, `stop`, `logprobs`) sent to a
 * reasoning model, and to `reasoning_effort` or `verbosity` sent to any other. A reasoning model
 * streams reasoning (`delta.reasoning_content`) before its answer, as OpenAI-compatible servers
 * do, and counts it in `usage.completion_tokens_details.reasoning_tokens`.
 *
 * With `response_format: {type: "json_schema"}` and no scripted text, the answer is JSON for the
 * schema: the last user message when that is JSON (so a test chooses the answer, matching or
 * not), else a value built from the schema alone, always the same for the same schema (see
 * `exampleForSchema` in schema-answer.ts).
 *
 * A reply with `toolCalls` streams them as OpenAI does (see `toolCallDeltas`: each call's id and
 * name first, its arguments in pieces after, several calls interleaved) or gives them as
 * `message.tool_calls`. With no scripted text, a request whose last messages are tool results
 * is answered with text naming each tool and its output (`Tool results: name: output; …`), so a
 * tool loop ends. Like the real API it answers 400 to `tool_choice` or `parallel_tool_calls`
 * without tools and to a `tool` message that answers no call.
 */
export async function startOpenAICompatibleServer(
  options: OpenAICompatibleServerOptions = {},
): Promise<OpenAICompatibleServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const record = options.record ?? true;
  let baseUrl = '';
  const batchRoutes = new OpenAIBatchRoutes(options, () => baseUrl);
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, errorBody(String(error), 'server_error'));
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Files and batches (openai-batch-routes.ts) are not recorded: their lines' calls are.
    if (await batchRoutes.handle(request, response)) return;
    const raw = await readBody(request);
    let body: unknown = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        sendJson(response, 400, errorBody('We could not parse the JSON body of your request.'));
        return;
      }
    }
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body,
    };
    if (record) requests.push(recorded);
    if (recorded.method === 'GET' && recorded.path === '/v1/models') {
      sendJson(response, 200, { object: 'list', data: [] });
      return;
    }
    if (recorded.method === 'POST' && recorded.path === '/v1/responses') {
      const responsesRequest = (recorded.body ?? {}) as ResponsesRequest;
      const model = typeof responsesRequest.model === 'string' ? responsesRequest.model : '';
      const reasoning = (options.reasoningModel ?? isOpenAIReasoningModel)(model);
      if (refuseResponsesRequest(responsesRequest, reasoning, response)) return;
      const reply = queue.shift() ?? (await options.reply?.(recorded)) ?? {};
      await answerResponses(responsesRequest, reply, reasoning, response);
      return;
    }
    if (recorded.method !== 'POST' || recorded.path !== '/v1/chat/completions') {
      sendJson(
        response,
        404,
        errorBody(`Unknown request URL: ${recorded.method} ${recorded.path}`),
      );
      return;
    }
    const chat = recorded.body as ChatRequest;
    const reasoning = (options.reasoningModel ?? isOpenAIReasoningModel)(chat.model ?? '');
    const refusal = refusedParameter(chat, reasoning);
    if (refusal) {
      sendJson(response, 400, { error: refusal });
      return;
    }
    const toolIssue = toolRequestIssue(chat);
    if (toolIssue) {
      sendJson(response, 400, errorBody(toolIssue.message, undefined, { param: toolIssue.param }));
      return;
    }
    const reply = queue.shift() ?? (await options.reply?.(recorded)) ?? {};
    await answerChat(chat, reply, reasoning, response);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}/v1`;
  return {
    baseUrl,
    requests,
    enqueue: (...replies) => {
      queue.push(...replies);
    },
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
