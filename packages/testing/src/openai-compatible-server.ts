import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

/** How the server answers one request. */
export interface ScriptedReply {
  /** The assistant's text (default `ok`). */
  readonly text?: string;
  /** The exact streamed pieces; by default the text is split into words. */
  readonly chunks?: readonly string[];
  /** The usage object; by default word counts with OpenAI's zero-valued detail fields. */
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

export interface OpenAICompatibleServerOptions {
  /** The reply when nothing is enqueued. */
  readonly reply?: ReplyFunction;
  /** Whether to keep every request (benchmarks turn this off). */
  readonly record?: boolean;
}

/**
 * A local OpenAI-compatible HTTP server on a random loopback port that speaks the real Chat
 * Completions protocol: JSON answers, SSE `data: {...}` chunks ending with `data: [DONE]`, a
 * usage chunk last when `stream_options.include_usage` is set, and OpenAI-shaped error bodies.
 */
export async function startOpenAICompatibleServer(
  options: OpenAICompatibleServerOptions = {},
): Promise<OpenAICompatibleServer> {
  const queue: ScriptedReply[] = [];
  const requests: RecordedRequest[] = [];
  const record = options.record ?? true;
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
    if (recorded.method !== 'POST' || recorded.path !== '/v1/chat/completions') {
      sendJson(
        response,
        404,
        errorBody(`Unknown request URL: ${recorded.method} ${recorded.path}`),
      );
      return;
    }
    const reply = queue.shift() ?? (await options.reply?.(recorded)) ?? {};
    await answerChat(recorded.body as ChatRequest, reply, response);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
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

interface ChatRequest {
  readonly model?: string;
  readonly stream?: boolean;
  readonly stream_options?: { include_usage?: boolean };
  readonly messages?: ReadonlyArray<{ content?: unknown }>;
}

let completionCounter = 0;

async function answerChat(
  request: ChatRequest,
  reply: ScriptedReply,
  response: ServerResponse,
): Promise<void> {
  if (reply.status !== undefined && reply.status >= 400) {
    sendJson(
      response,
      reply.status,
      errorBody(reply.error?.message ?? `Error ${reply.status}`, reply.error?.type, reply.error),
      reply.headers,
    );
    return;
  }
  const text = reply.text ?? 'ok';
  const model = reply.model ?? request.model ?? 'unknown';
  const id = `chatcmpl-${++completionCounter}`;
  const created = Math.floor(Date.now() / 1000);
  const usage = reply.usage ?? defaultUsage(request, text);
  if (!request.stream) {
    sendJson(
      response,
      200,
      {
        id,
        object: 'chat.completion',
        created,
        model,
        choices: [
          {
            index: 0,
            message: { role: 'assistant', content: text, refusal: null, annotations: [] },
            logprobs: null,
            finish_reason: 'stop',
          },
        ],
        usage,
        service_tier: 'default',
        system_fingerprint: 'fp_local',
      },
      reply.headers,
    );
    return;
  }
  const includeUsage = request.stream_options?.include_usage === true;
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  const base = {
    id,
    object: 'chat.completion.chunk',
    created,
    model,
    system_fingerprint: 'fp_local',
  };
  const withUsage = includeUsage ? { usage: null } : {};
  const frame = (payload: unknown) => response.write(`data: ${JSON.stringify(payload)}\n\n`);
  frame({
    ...base,
    choices: [
      {
        index: 0,
        delta: { role: 'assistant', content: '', refusal: null },
        logprobs: null,
        finish_reason: null,
      },
    ],
    ...withUsage,
  });
  const chunks = reply.chunks ?? splitWords(text);
  let sent = 0;
  for (const chunk of chunks) {
    if (reply.disconnectAfterChunks !== undefined && sent === reply.disconnectAfterChunks) {
      response.destroy();
      return;
    }
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    frame({
      ...base,
      choices: [{ index: 0, delta: { content: chunk }, logprobs: null, finish_reason: null }],
      ...withUsage,
    });
    sent++;
  }
  frame({
    ...base,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: 'stop' }],
    ...withUsage,
  });
  if (includeUsage) frame({ ...base, choices: [], usage });
  response.end('data: [DONE]\n\n');
}

/** Word counts, with the zero-valued detail fields OpenAI always sends. */
function defaultUsage(request: ChatRequest, text: string): Record<string, unknown> {
  const promptTokens = (request.messages ?? [])
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''),
    )
    .join(' ')
    .split(/\s+/)
    .filter(Boolean).length;
  const completionTokens = text.split(/\s+/).filter(Boolean).length;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: 0,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

/** Split text into words that keep their following whitespace, so the pieces join back exactly. */
function splitWords(text: string): string[] {
  return text.match(/\S+\s*|\s+/g) ?? [text];
}

function errorBody(
  message: string,
  type = 'invalid_request_error',
  extra: { param?: string | null; code?: string | null } = {},
): unknown {
  return { error: { message, type, param: extra.param ?? null, code: extra.code ?? null } };
}

function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  response.end(text);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
