import type { ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { errorBody, sendJson } from './json-http.ts';
import type { ScriptedReply } from './openai-compatible-server.ts';
import { schemaAnswer } from './schema-answer.ts';
import {
  messageToolCalls,
  resolveToolCalls,
  toolCallDeltas,
  toolResultsAnswer,
} from './scripted-tool-calls.ts';
import { splitWords, wordCount } from './split-words.ts';

/** A Chat Completions request as the local server reads it. */
export interface ChatRequest {
  readonly model?: string;
  readonly stream?: boolean;
  readonly stream_options?: { include_usage?: boolean };
  readonly messages?: ReadonlyArray<{
    role?: string;
    content?: unknown;
    tool_call_id?: unknown;
    tool_calls?: ReadonlyArray<{ id?: unknown; function?: { name?: unknown } }>;
  }>;
  readonly tools?: readonly unknown[];
  readonly response_format?: { type?: string; json_schema?: { schema?: unknown } };
  readonly [field: string]: unknown;
}

let completionCounter = 0;

/** Answer a chat completion as OpenAI does, streamed or whole, with the scripted reply. */
export async function answerChat(
  request: ChatRequest,
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
  if (reply.toolCalls && !(request.tools && request.tools.length > 0)) {
    sendJson(
      response,
      400,
      errorBody('The script asks for tool calls but the request gives no tools.'),
    );
    return;
  }
  const toolCalls = resolveToolCalls(reply.toolCalls ?? []);
  // A turn that calls tools usually says nothing; its content is then null, as OpenAI's is.
  const text =
    toolCalls.length > 0
      ? (reply.text ?? '')
      : (reply.text ?? schemaAnswer(request) ?? toolResultsAnswer(request.messages ?? []) ?? 'ok');
  const finishReason = toolCalls.length > 0 ? 'tool_calls' : 'stop';
  const reasoning = reply.reasoning ?? (reasoningModel ? defaultReasoning : undefined);
  const reasoningField = reply.reasoningField ?? 'reasoning_content';
  const model = reply.model ?? request.model ?? 'unknown';
  const id = `chatcmpl-${++completionCounter}`;
  const created = Math.floor(Date.now() / 1000);
  const usage =
    reply.usage ??
    defaultUsage(
      request,
      [text, ...toolCalls.map((call) => call.argumentsText)].join(' '),
      reasoning,
    );
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
            message: {
              role: 'assistant',
              content: text || toolCalls.length === 0 ? text : null,
              ...(reasoning ? { [reasoningField]: reasoning } : {}),
              ...(toolCalls.length > 0 ? { tool_calls: messageToolCalls(toolCalls) } : {}),
              refusal: null,
              annotations: [],
            },
            logprobs: null,
            finish_reason: finishReason,
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
        delta: {
          role: 'assistant',
          content: text || toolCalls.length === 0 ? '' : null,
          refusal: null,
        },
        logprobs: null,
        finish_reason: null,
      },
    ],
    ...withUsage,
  });
  for (const piece of reasoning ? splitWords(reasoning) : []) {
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    frame({
      ...base,
      choices: [
        { index: 0, delta: { [reasoningField]: piece }, logprobs: null, finish_reason: null },
      ],
      ...withUsage,
    });
  }
  const chunks = reply.chunks ?? (toolCalls.length > 0 && !text ? [] : splitWords(text));
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
  for (const toolCall of toolCallDeltas(toolCalls)) {
    if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    frame({
      ...base,
      choices: [
        { index: 0, delta: { tool_calls: [toolCall] }, logprobs: null, finish_reason: null },
      ],
      ...withUsage,
    });
  }
  frame({
    ...base,
    choices: [{ index: 0, delta: {}, logprobs: null, finish_reason: finishReason }],
    ...withUsage,
  });
  if (includeUsage) frame({ ...base, choices: [], usage });
  response.end('data: [DONE]\n\n');
}

const defaultReasoning = 'The user asks a question. I will answer it briefly.';

/** Word counts, with the zero-valued detail fields OpenAI always sends. */
function defaultUsage(
  request: ChatRequest,
  text: string,
  reasoning: string | undefined,
): Record<string, unknown> {
  const promptTokens = (request.messages ?? [])
    .map((message) =>
      typeof message.content === 'string' ? message.content : JSON.stringify(message.content ?? ''),
    )
    .join(' ')
    .split(/\s+/)
    .filter(Boolean).length;
  // As OpenAI counts them: reasoning tokens are output tokens too.
  const reasoningTokens = reasoning ? wordCount(reasoning) : 0;
  const completionTokens = wordCount(text) + reasoningTokens;
  return {
    prompt_tokens: promptTokens,
    completion_tokens: completionTokens,
    total_tokens: promptTokens + completionTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}
