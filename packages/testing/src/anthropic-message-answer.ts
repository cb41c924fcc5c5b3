import type { ServerResponse } from 'node:http';
import {
  type AnthropicContentBlock,
  type AnthropicMessageParam,
  type AnthropicMessagesRequest,
  contentBlocks,
} from './anthropic-request-issues.ts';
import type {
  AnthropicScriptedReply,
  AnthropicScriptedToolCall,
} from './anthropic-scripted-reply.ts';
import { signThinking } from './anthropic-thinking-signature.ts';
import { sendJson } from './json-http.ts';
import { schemaAnswer } from './schema-answer.ts';
import { splitWords, wordCount } from './split-words.ts';

const defaultThinking = 'The user asks something. I will answer briefly.';

let messageCounter = 0;
let toolUseCounter = 0;

/** A block of the answer with the pieces it streams in. */
type AnswerBlock =
  | { readonly type: 'thinking'; readonly thinking: string; readonly pieces: readonly string[] }
  | { readonly type: 'text'; readonly text: string; readonly pieces: readonly string[] }
  | {
      readonly type: 'tool_use';
      readonly id: string;
      readonly name: string;
      readonly inputText: string;
      readonly pieces: readonly string[];
    };

/**
 * Answer a valid Messages API request as Anthropic does: a whole `message` object, or (with
 * `stream: true`) its server-sent events in Anthropic's order: `message_start`, for each content
 * block `content_block_start`, its deltas (`thinking_delta` then `signature_delta`,
 * `text_delta`, `input_json_delta`) and `content_block_stop`, a `ping` after the first block
 * starts, then `message_delta` (stop reason, cumulative usage) and `message_stop`.
 */
export function answerMessages(
  request: AnthropicMessagesRequest,
  reply: AnthropicScriptedReply,
  response: ServerResponse,
): void {
  if (reply.status !== undefined && reply.status >= 400) {
    sendJson(
      response,
      reply.status,
      anthropicErrorBody(
        reply.error?.type ?? errorTypeForStatus(reply.status),
        reply.error?.message ?? `Error ${reply.status}`,
      ),
      { 'request-id': `req_local_${++messageCounter}`, ...reply.headers },
    );
    return;
  }
  const hasTools = Array.isArray(request.tools) && request.tools.length > 0;
  if (reply.toolCalls && !hasTools) {
    sendJson(
      response,
      400,
      anthropicErrorBody(
        'invalid_request_error',
        'The script asks for tool calls but the request gives no tools.',
      ),
    );
    return;
  }
  const blocks = answerBlocks(request, reply);
  const model = reply.model ?? String(request.model);
  const id = `msg_local_${++messageCounter}`;
  const stopReason =
    reply.stopReason ??
    (blocks.some((block) => block.type === 'tool_use') ? 'tool_use' : 'end_turn');
  const usage = reply.usage ?? defaultUsage(request, blocks);
  const headers = { 'request-id': `req_local_${messageCounter}`, ...reply.headers };
  if (request.stream !== true) {
    sendJson(
      response,
      200,
      {
        id,
        type: 'message',
        role: 'assistant',
        model,
        content: blocks.map(wholeBlock),
        stop_reason: stopReason,
        stop_sequence: null,
        usage,
      },
      headers,
    );
    return;
  }
  response.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...headers,
  });
  const send = (type: string, data: Record<string, unknown>) =>
    response.write(`event: ${type}\ndata: ${JSON.stringify({ type, ...data })}\n\n`);
  send('message_start', {
    message: {
      id,
      type: 'message',
      role: 'assistant',
      model,
      content: [],
      stop_reason: null,
      stop_sequence: null,
      // As Anthropic does: the input counts at the start, the output counted so far (one token).
      usage: { ...usage, output_tokens: 1 },
    },
  });
  let textPiecesSent = 0;
  for (const [index, block] of blocks.entries()) {
    send('content_block_start', { index, content_block: startedBlock(block) });
    if (index === 0) send('ping', {});
    for (const piece of block.pieces) {
      if (block.type === 'thinking') {
        send('content_block_delta', { index, delta: { type: 'thinking_delta', thinking: piece } });
      } else if (block.type === 'text') {
        send('content_block_delta', { index, delta: { type: 'text_delta', text: piece } });
        textPiecesSent++;
        if (reply.streamError && textPiecesSent === 1) {
          send('error', { error: reply.streamError });
          response.end();
          return;
        }
      } else {
        send('content_block_delta', {
          index,
          delta: { type: 'input_json_delta', partial_json: piece },
        });
      }
    }
    if (block.type === 'thinking') {
      send('content_block_delta', {
        index,
        delta: { type: 'signature_delta', signature: signThinking(block.thinking) },
      });
    }
    send('content_block_stop', { index });
  }
  if (reply.streamError) {
    send('error', { error: reply.streamError });
    response.end();
    return;
  }
  send('message_delta', {
    delta: { stop_reason: stopReason, stop_sequence: null },
    usage: deltaUsage(usage),
  });
  send('message_stop', {});
  response.end();
}

/** Anthropic's error body. */
export function anthropicErrorBody(type: string, message: string): Record<string, unknown> {
  return { type: 'error', error: { type, message } };
}

/** The error type Anthropic gives with a status. */
function errorTypeForStatus(status: number): string {
  switch (status) {
    case 400:
      return 'invalid_request_error';
    case 401:
      return 'authentication_error';
    case 402:
      return 'billing_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 504:
      return 'timeout_error';
    case 529:
      return 'overloaded_error';
    default:
      return 'api_error';
  }
}

function answerBlocks(
  request: AnthropicMessagesRequest,
  reply: AnthropicScriptedReply,
): AnswerBlock[] {
  const blocks: AnswerBlock[] = [];
  const thinkingType = request.thinking?.type;
  if (thinkingType === 'enabled' || thinkingType === 'adaptive') {
    const thinking = reply.thinking ?? defaultThinking;
    blocks.push({ type: 'thinking', thinking, pieces: splitWords(thinking) });
  }
  const toolCalls = (reply.toolCalls ?? []).map(resolveToolCall);
  const text = reply.text ?? (toolCalls.length > 0 ? '' : (defaultAnswer(request) ?? 'ok'));
  if (text) blocks.push({ type: 'text', text, pieces: reply.chunks ?? splitWords(text) });
  blocks.push(...toolCalls);
  return blocks;
}

function resolveToolCall(call: AnthropicScriptedToolCall): AnswerBlock {
  const inputText =
    call.inputChunks?.join('') ??
    (typeof call.input === 'string' ? call.input : JSON.stringify(call.input ?? {}));
  return {
    type: 'tool_use',
    id: call.id ?? `toolu_local_${++toolUseCounter}`,
    name: call.name,
    inputText,
    // Anthropic's first input_json_delta is empty; the pieces follow.
    pieces: ['', ...(call.inputChunks ?? inputText.match(/\w+|\W+/g) ?? [])],
  };
}

/**
 * The answer when none is scripted: JSON for an `output_config.format` schema (the last user
 * text when it is JSON, else a value built from the schema), or, after tool results, text
 * naming each tool and its output (`Tool results: name: output; …`), so a tool loop ends.
 */
function defaultAnswer(request: AnthropicMessagesRequest): string | undefined {
  const messages = (
    Array.isArray(request.messages) ? request.messages : []
  ) as AnthropicMessageParam[];
  const last = messages.at(-1);
  const lastBlocks = contentBlocks(last?.content);
  const format = request.output_config?.format;
  if (format?.type === 'json_schema') {
    const lastText = lastBlocks
      .filter((block) => block.type === 'text')
      .map((block) => String(block.text))
      .join('');
    return schemaAnswer({
      messages: [{ role: 'user', content: lastText }],
      response_format: { type: 'json_schema', json_schema: { schema: format.schema } },
    });
  }
  const results = lastBlocks.filter((block) => block.type === 'tool_result');
  if (results.length === 0) return undefined;
  const names = new Map<unknown, unknown>();
  for (const message of messages) {
    for (const block of contentBlocks(message.content)) {
      if (block.type === 'tool_use') names.set(block.id, block.name);
    }
  }
  const described = results.map(
    (result) => `${String(names.get(result.tool_use_id))}: ${toolResultText(result)}`,
  );
  return `Tool results: ${described.join('; ')}`;
}

function toolResultText(result: AnthropicContentBlock): string {
  if (typeof result.content === 'string') return result.content;
  return contentBlocks(result.content)
    .map((block) => String(block.text ?? ''))
    .join('');
}

function wholeBlock(block: AnswerBlock): Record<string, unknown> {
  if (block.type === 'thinking') {
    return { type: 'thinking', thinking: block.thinking, signature: signThinking(block.thinking) };
  }
  if (block.type === 'text') return { type: 'text', text: block.text };
  return { type: 'tool_use', id: block.id, name: block.name, input: parsedInput(block.inputText) };
}

/** A scripted input as JSON; text that is not JSON is sent as it is (a test's broken input). */
function parsedInput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function startedBlock(block: AnswerBlock): Record<string, unknown> {
  if (block.type === 'thinking') return { type: 'thinking', thinking: '', signature: '' };
  if (block.type === 'text') return { type: 'text', text: '' };
  return { type: 'tool_use', id: block.id, name: block.name, input: {} };
}

/** Word counts, with the zero-valued cache fields Anthropic always sends. */
function defaultUsage(
  request: AnthropicMessagesRequest,
  blocks: readonly AnswerBlock[],
): Record<string, unknown> {
  const system =
    typeof request.system === 'string' ? request.system : JSON.stringify(request.system ?? '');
  const inputTokens = wordCount(`${system} ${JSON.stringify(request.messages ?? [])}`);
  const outputText = blocks
    .map((block) =>
      block.type === 'thinking'
        ? block.thinking
        : block.type === 'text'
          ? block.text
          : block.inputText,
    )
    .join(' ');
  return {
    input_tokens: inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    cache_creation: { ephemeral_5m_input_tokens: 0, ephemeral_1h_input_tokens: 0 },
    output_tokens: wordCount(outputText),
    service_tier: 'standard',
  };
}

/** `message_delta`'s usage: the cumulative counts, without the fields only the start has. */
function deltaUsage(usage: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { cache_creation: _creation, service_tier: _tier, ...counts } = usage;
  return counts;
}
