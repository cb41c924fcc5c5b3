import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorBody, sendJson } from './json-http.ts';
import type { ScriptedReply } from './openai-compatible-server.ts';
import { buildResponsesAnswer } from './responses-api-answer.ts';
import { responsesEvents } from './responses-api-events.ts';
import { responsesRequestIssue } from './responses-api-issues.ts';
import type { ResponsesRequest } from './responses-api-request.ts';

/** Whether a request to `/v1/responses` is refused before any reply is taken, and how. */
export function refuseResponsesRequest(
  request: ResponsesRequest,
  reasoningModel: boolean,
  response: ServerResponse,
): boolean {
  const issue = responsesRequestIssue(request, reasoningModel);
  if (!issue) return false;
  sendJson(response, 400, errorBody(issue.message, undefined, issue));
  return true;
}

/**
 * Answer `POST /v1/responses` as OpenAI does: the response object as JSON, or with `stream: true`
 * its events as SSE (`event: <type>` and `data:` JSON, each with a `sequence_number` from 0, no
 * `[DONE]`). A scripted status answers with an OpenAI-shaped error instead; `chunkDelayMs` waits
 * before each delta; `disconnectAfterChunks` drops the connection after that many text deltas.
 */
export async function answerResponses(
  request: ResponsesRequest,
  reply: ScriptedReply,
  reasoningModel: boolean,
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
  const tools = Array.isArray(request.tools) ? request.tools : [];
  if (reply.toolCalls && tools.length === 0) {
    sendJson(
      response,
      400,
      errorBody('The script asks for tool calls but the request gives no tools.'),
    );
    return;
  }
  const answer = buildResponsesAnswer(request, reply, reasoningModel);
  if (request.stream !== true) {
    sendJson(response, 200, answer.response, reply.headers);
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...reply.headers,
  });
  let sequenceNumber = 0;
  let textDeltas = 0;
  for (const event of responsesEvents(answer)) {
    if (event.type === 'response.output_text.delta') {
      if (reply.disconnectAfterChunks !== undefined && textDeltas === reply.disconnectAfterChunks) {
        response.destroy();
        return;
      }
      textDeltas++;
    }
    if (reply.chunkDelayMs && event.type.endsWith('.delta')) await sleep(reply.chunkDelayMs);
    const data = JSON.stringify({ ...event, sequence_number: sequenceNumber++ });
    response.write(`event: ${event.type}\ndata: ${data}\n\n`);
  }
  response.end();
}
