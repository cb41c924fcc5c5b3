import {
  type ExecuteContext,
  type ExecuteYield,
  ModelError,
  nonZeroUsageDetails,
} from '@llmq/core';
import type OpenAI from 'openai';
import type {
  Response,
  ResponseCreateParamsNonStreaming,
  ResponseUsage,
} from 'openai/resources/responses/responses';
import { failureToModelError } from './openai-errors.ts';
import { responsesPayload } from './responses-payload.ts';
import { StreamedFunctionCalls } from './streamed-function-calls.ts';
import { toolCallFromText } from './tool-call-arguments.ts';

type CallContext = Pick<ExecuteContext, 'stream' | 'response' | 'signal'>;

/**
 * One call of the Responses API, its answer as `execute()` yields it. Streamed: output text
 * deltas are text chunks (and so are refusal deltas: a refusal is the answer's text, as in llm), reasoning summary deltas `reasoning` events (parts apart by a blank
 * line), function calls `tool_call` events once the stream ends (their `call_id` the call's id),
 * `response.completed` (or `response.incomplete`, cut short by `max_output_tokens`) the usage and
 * the stored payload, and `response.failed` a `ModelError`. Not streamed: the output items in
 * order, each reasoning summary, text (or refusal) and function call as the stream would give it.
 */
export async function* callResponsesApi(
  client: OpenAI,
  request: ResponseCreateParamsNonStreaming,
  { stream, response, signal }: CallContext,
): AsyncGenerator<ExecuteYield, void, undefined> {
  let final: Response | undefined;
  if (stream) {
    const events = await client.responses.create({ ...request, stream: true }, { signal });
    const calls = new StreamedFunctionCalls();
    for await (const event of events) {
      calls.add(event);
      // A refusal is the answer's text, as llm gives it: stored empty, it would read as silence.
      if (event.type === 'response.output_text.delta' || event.type === 'response.refusal.delta') {
        if (event.delta) yield event.delta;
      } else if (event.type === 'response.reasoning_summary_text.delta') {
        if (event.delta) yield { type: 'reasoning', chunk: event.delta };
      } else if (event.type === 'response.reasoning_summary_part.added') {
        if (event.summary_index > 0) yield { type: 'reasoning', chunk: '\n\n' };
      } else if (event.type === 'response.completed' || event.type === 'response.incomplete') {
        final = event.response;
      } else if (event.type === 'response.failed') {
        throw failureToModelError(
          event.response.error ?? { message: 'the response failed without an error' },
        );
      }
    }
    if (!final) {
      throw new ModelError('The Responses API stream ended before response.completed', {
        retryable: true,
      });
    }
    for (const call of calls.calls()) yield { type: 'tool_call', call };
  } else {
    final = await client.responses.create(request, { signal });
    if (final.status === 'failed') {
      throw failureToModelError(final.error ?? { message: 'the response failed without an error' });
    }
    yield* outputEvents(final);
  }
  response.setJson(responsesPayload(final));
  recordUsage(response, final.usage);
  if (final.model && final.model !== request.model) response.setResolvedModel(final.model);
}

/** A whole answer's output items as the events its stream would have given. */
function* outputEvents(answer: Response): Generator<ExecuteYield, void, undefined> {
  const calls: ExecuteYield[] = [];
  for (const item of answer.output) {
    if (item.type === 'reasoning') {
      const summary = item.summary.map((part) => part.text).join('\n\n');
      if (summary) yield { type: 'reasoning', chunk: summary };
    } else if (item.type === 'message') {
      for (const part of item.content) {
        if (part.type === 'output_text' && part.text) yield part.text;
        else if (part.type === 'refusal' && part.refusal) yield part.refusal;
      }
    } else if (item.type === 'function_call') {
      calls.push({
        type: 'tool_call',
        call: toolCallFromText(item.call_id, item.name, item.arguments),
      });
    }
  }
  // As when streamed: calls after the text.
  yield* calls;
}

function recordUsage(response: CallContext['response'], usage: ResponseUsage | undefined): void {
  if (!usage) return;
  const { input_tokens, output_tokens, total_tokens: _total, ...rest } = usage;
  response.setUsage({
    input: input_tokens,
    output: output_tokens,
    details: nonZeroUsageDetails(rest as Record<string, unknown>),
  });
}
