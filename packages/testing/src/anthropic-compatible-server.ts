import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AnthropicBatchOptions, AnthropicBatchRoutes } from './anthropic-batch-routes.ts';
import { answerMessages, anthropicErrorBody } from './anthropic-message-answer.ts';
import {
  type AnthropicMessagesRequest,
  anthropicRequestIssue,
} from './anthropic-request-issues.ts';
import type { AnthropicScriptedReply } from './anthropic-scripted-reply.ts';
import { readBody, sendJson } from './json-http.ts';

export type {
  AnthropicScriptedReply,
  AnthropicScriptedToolCall,
} from './anthropic-scripted-reply.ts';

export interface AnthropicRecordedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

export type AnthropicReplyFunction = (
  request: AnthropicRecordedRequest,
) => AnthropicScriptedReply | Promise<AnthropicScriptedReply>;

export interface AnthropicCompatibleServer {
  /** The base URL to give the SDK (`baseURL`): the server's origin, without `/v1`. */
  readonly baseUrl: string;
  /** Every request received, in order. */
  readonly requests: AnthropicRecordedRequest[];
  /** Answer the next Messages request with these replies (first in, first out). */
  enqueue(...replies: AnthropicScriptedReply[]): void;
  close(): Promise<void>;
}

export interface AnthropicCompatibleServerOptions extends AnthropicBatchOptions {
  /** The reply when nothing is enqueued. */
  readonly reply?: AnthropicReplyFunction;
}

/**
 * A local Anthropic-compatible HTTP server on a random loopback port that speaks the Messages
 * API (`POST /v1/messages`) as Anthropic does: a whole message as JSON, or server-sent events
 * (`event: <type>` and `data: {...}`) in Anthropic's order (see `answerMessages`), and errors as
 * `{type: "error", error: {type, message}}` with a `request-id` header.
 *
 * Each request is recorded and answered by the next scripted reply (text, thinking, tool calls,
 * usage, an error status with headers such as `retry-after`, an `error` event mid-stream).
 * Unscripted, it answers `ok`; JSON for an `output_config.format` schema; or, after tool
 * results, `Tool results: name: output; …`. A request that asks for thinking gets a thinking
 * block first, signed so that the server can tell the block when it comes back. It answers 400
 * in Anthropic's words to what `anthropicRequestIssue` checks (a missing `max_tokens`, a
 * `system` role, a result that answers no call, a thinking block with a wrong signature, …).
 * Message Batches are served too (see `AnthropicBatchRoutes`).
 */
export async function startAnthropicCompatibleServer(
  options: AnthropicCompatibleServerOptions = {},
): Promise<AnthropicCompatibleServer> {
  const queue: AnthropicScriptedReply[] = [];
  const requests: AnthropicRecordedRequest[] = [];
  let baseUrl = '';
  const batchRoutes = new AnthropicBatchRoutes(options, () => baseUrl);
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) {
        sendJson(response, 500, anthropicErrorBody('api_error', String(error)));
      } else {
        response.destroy();
      }
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    // Message batches (anthropic-batch-routes.ts) are not recorded: their requests' calls are.
    if (await batchRoutes.handle(request, response)) return;
    const raw = await readBody(request);
    let body: unknown = null;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        sendJson(
          response,
          400,
          anthropicErrorBody('invalid_request_error', 'There was an issue with the JSON body.'),
        );
        return;
      }
    }
    const recorded: AnthropicRecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body,
    };
    requests.push(recorded);
    // The SDK may add query parameters (such as `?beta=true`); the route is the path alone.
    const path = recorded.path.split('?')[0];
    if (recorded.method !== 'POST' || path !== '/v1/messages') {
      sendJson(
        response,
        404,
        anthropicErrorBody('not_found_error', `Not found: ${recorded.method} ${recorded.path}`),
      );
      return;
    }
    const messagesRequest = (body ?? {}) as AnthropicMessagesRequest;
    const issue = anthropicRequestIssue(messagesRequest);
    if (issue) {
      sendJson(response, 400, anthropicErrorBody('invalid_request_error', issue));
      return;
    }
    const reply = queue.shift() ?? (await options.reply?.(recorded)) ?? {};
    answerMessages(messagesRequest, reply, response);
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  baseUrl = `http://127.0.0.1:${port}`;
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
