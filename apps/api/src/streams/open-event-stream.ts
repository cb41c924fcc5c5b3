import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import type { LlmqMetrics } from '@llmq/metrics';
import { openSseClient } from '../observability/http-metrics.ts';
import { type FrameSink, responseSink } from './response-sink.ts';

/**
 * The Node response of a request @hono/node-server serves (its `env.outgoing`): streams are
 * written to it directly, with no web-stream layer per client. Undefined under another runtime
 * (or `app.request()`): each route that streams says so in its own error format (the chat
 * route before it queues anything).
 */
export function nodeResponseOf(env: unknown): ServerResponse | undefined {
  return (env as { outgoing?: ServerResponse } | undefined)?.outgoing;
}

/** An open Server-Sent Events response. */
export interface EventStream {
  /** Where the frames go. */
  readonly sink: FrameSink;
  /** Stop counting the client and end the response. */
  close(): void;
}

/**
 * Open an SSE response: count the client (`llmq_sse_clients`, before the client can see the
 * stream open), send the status and headers at once, and return the sink its frames go to.
 * `headers` are added to the event-stream ones.
 */
export function openEventStream(
  response: ServerResponse,
  metrics: LlmqMetrics,
  stream: 'prompt' | 'batch' | 'chat' | 'responses',
  headers?: OutgoingHttpHeaders,
): EventStream {
  const closeClient = openSseClient(metrics, stream);
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    // A proxy that buffers (nginx) would hold every frame back until the stream ends.
    'x-accel-buffering': 'no',
    ...headers,
  });
  const sink = responseSink(response);
  return {
    sink,
    close: () => {
      closeClient();
      // Pushed frames wait for the end of the tick: they go before the body's end.
      sink.flush();
      response.end();
    },
  };
}
