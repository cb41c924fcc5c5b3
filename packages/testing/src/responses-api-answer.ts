import { encryptReasoning } from './encrypted-reasoning.ts';
import type { ScriptedReply } from './openai-compatible-server.ts';
import {
  asChatMessages,
  contentText,
  inputItems,
  type ResponsesRequest,
} from './responses-api-request.ts';
import { schemaAnswer } from './schema-answer.ts';
import {
  type ResolvedToolCall,
  resolveToolCalls,
  toolResultsAnswer,
} from './scripted-tool-calls.ts';
import { splitWords, wordCount } from './split-words.ts';

/** One output item and the pieces its stream sends it in. */
export type PlannedItem =
  | {
      readonly type: 'reasoning';
      readonly item: Record<string, unknown>;
      /** Each summary part's text split into the deltas that stream it. */
      readonly parts: readonly (readonly string[])[];
    }
  | {
      readonly type: 'message';
      readonly item: Record<string, unknown>;
      readonly pieces: readonly string[];
    }
  | {
      readonly type: 'function_call';
      readonly item: Record<string, unknown>;
      readonly pieces: readonly string[];
    };

export interface ResponsesAnswer {
  /** The response object as `response.completed` and a non-streamed answer carry it. */
  readonly response: Record<string, unknown>;
  /** The same before any output, as `response.created` and `response.in_progress` carry it. */
  readonly started: Record<string, unknown>;
  readonly items: readonly PlannedItem[];
}

const defaultReasoning = 'The user asks a question. I will answer it briefly.';
let counter = 0;

/**
 * The answer to a Responses API request, built before anything is sent so that the streamed
 * events and the whole response agree: a reasoning model (or a reply with `reasoning`) gives a
 * reasoning item first, its summary (paragraphs as parts) only when `reasoning.summary` is asked,
 * its `encrypted_content` only when `include` asks; then the text as a message item (the scripted
 * text, else a schema's example, else the tool results' summary, else `ok`), left out when the
 * reply only calls tools; then each scripted call as a `function_call` item. The other fields echo
 * the request with the API's defaults.
 */
export function buildResponsesAnswer(
  request: ResponsesRequest,
  reply: ScriptedReply,
  reasoningModel: boolean,
): ResponsesAnswer {
  const id = `resp_${++counter}`;
  const calls = resolveToolCalls(reply.toolCalls ?? []);
  const messages = asChatMessages(request);
  const format = request.text?.format;
  const text =
    calls.length > 0
      ? (reply.text ?? '')
      : (reply.text ??
        schemaAnswer({
          messages,
          response_format:
            format?.type === 'json_schema'
              ? { type: 'json_schema', json_schema: { schema: format.schema } }
              : undefined,
        }) ??
        toolResultsAnswer(messages) ??
        'ok');
  const reasoning = reply.reasoning ?? (reasoningModel ? defaultReasoning : undefined);
  const items: PlannedItem[] = [];
  if (reasoning !== undefined) items.push(reasoningItem(request, reasoning));
  if (text || calls.length === 0) {
    const pieces = reply.chunks ?? splitWords(text);
    items.push({
      type: 'message',
      item: {
        id: `msg_${counter}`,
        type: 'message',
        status: 'completed',
        content: [{ type: 'output_text', annotations: [], logprobs: [], text: pieces.join('') }],
        role: 'assistant',
      },
      pieces,
    });
  }
  for (const call of calls) items.push(functionCallItem(call));
  const usage =
    reply.usage ??
    defaultUsage(request, [text, ...calls.map((call) => call.argumentsText)], reasoning);
  const started = {
    id,
    object: 'response',
    created_at: Math.floor(Date.now() / 1000),
    status: 'in_progress',
    background: false,
    error: null,
    incomplete_details: null,
    instructions: request.instructions ?? null,
    max_output_tokens: request.max_output_tokens ?? null,
    metadata: request.metadata ?? {},
    model: reply.model ?? request.model,
    output: [],
    parallel_tool_calls: request.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: {
      effort: request.reasoning?.effort ?? (reasoningModel ? 'medium' : null),
      summary: request.reasoning?.summary ?? null,
    },
    service_tier: request.service_tier ?? 'auto',
    store: request.store ?? true,
    temperature: request.temperature ?? 1,
    text: { format: format ?? { type: 'text' }, verbosity: request.text?.verbosity ?? 'medium' },
    tool_choice: request.tool_choice ?? 'auto',
    tools: request.tools ?? [],
    top_p: request.top_p ?? 1,
    truncation: 'disabled',
    usage: null,
    user: null,
  };
  const response = reply.failure
    ? { ...started, status: 'failed', error: reply.failure }
    : {
        ...started,
        status: 'completed',
        service_tier: 'default',
        output: items.map((planned) => planned.item),
        usage,
      };
  return { response, started, items };
}

function reasoningItem(request: ResponsesRequest, reasoning: string): PlannedItem {
  const id = `rs_${counter}`;
  const summarised = request.reasoning?.summary != null;
  const paragraphs = summarised ? reasoning.split(/\n\n+/).filter(Boolean) : [];
  const include = Array.isArray(request.include) ? request.include : [];
  return {
    type: 'reasoning',
    item: {
      id,
      type: 'reasoning',
      summary: paragraphs.map((text) => ({ type: 'summary_text', text })),
      ...(include.includes('reasoning.encrypted_content')
        ? { encrypted_content: encryptReasoning(id, reasoning) }
        : {}),
    },
    parts: paragraphs.map(splitWords),
  };
}

function functionCallItem(call: ResolvedToolCall): PlannedItem {
  return {
    type: 'function_call',
    item: {
      id: `fc_${call.id}`,
      type: 'function_call',
      status: 'completed',
      arguments: call.argumentsText,
      call_id: call.id,
      name: call.name,
    },
    pieces: call.pieces,
  };
}

/** Word counts in the Responses API's usage shape, with its zero-valued detail fields. */
function defaultUsage(
  request: ResponsesRequest,
  outputs: readonly string[],
  reasoning: string | undefined,
): Record<string, unknown> {
  const inputText = [
    typeof request.instructions === 'string' ? request.instructions : '',
    ...inputItems(request).map((item) =>
      item.content === undefined ? String(item.output ?? '') : contentText(item.content),
    ),
  ].join(' ');
  const inputTokens = wordCount(inputText);
  // As OpenAI counts them: reasoning tokens are output tokens too.
  const reasoningTokens = reasoning ? wordCount(reasoning) : 0;
  const outputTokens = wordCount(outputs.join(' ')) + reasoningTokens;
  return {
    input_tokens: inputTokens,
    input_tokens_details: { cached_tokens: 0 },
    output_tokens: outputTokens,
    output_tokens_details: { reasoning_tokens: reasoningTokens },
    total_tokens: inputTokens + outputTokens,
  };
}
