import type { ResponsesAnswer } from './responses-api-answer.ts';

/** An event without its `sequence_number`, which the writer numbers as it sends. */
export type ResponsesEvent = { readonly type: string; readonly [field: string]: unknown };

/**
 * The events OpenAI streams for an answer, in its order: `response.created` and
 * `response.in_progress`; per output item `response.output_item.added`, its content (a reasoning
 * summary's parts with `response.reasoning_summary_text.delta`s; a message's `output_text` part
 * with `response.output_text.delta`s; a call's `response.function_call_arguments.delta`s), then
 * `response.output_item.done` with the whole item; last `response.completed` with the usage, or
 * `response.failed` with the error.
 */
export function* responsesEvents(answer: ResponsesAnswer): Generator<ResponsesEvent> {
  yield { type: 'response.created', response: answer.started };
  yield { type: 'response.in_progress', response: answer.started };
  if (answer.response.status === 'failed') {
    yield { type: 'response.failed', response: answer.response };
    return;
  }
  for (const [outputIndex, planned] of answer.items.entries()) {
    const item = planned.item;
    const at = { item_id: item.id, output_index: outputIndex };
    if (planned.type === 'reasoning') {
      yield {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, summary: [] },
      };
      for (const [summaryIndex, pieces] of planned.parts.entries()) {
        const text = pieces.join('');
        const part = { type: 'summary_text', text: '' };
        const parted = { ...at, summary_index: summaryIndex };
        yield { type: 'response.reasoning_summary_part.added', ...parted, part };
        for (const delta of pieces) {
          yield { type: 'response.reasoning_summary_text.delta', ...parted, delta };
        }
        yield { type: 'response.reasoning_summary_text.done', ...parted, text };
        yield { type: 'response.reasoning_summary_part.done', ...parted, part: { ...part, text } };
      }
    } else if (planned.type === 'message') {
      const text = planned.pieces.join('');
      const part = { type: 'output_text', annotations: [], logprobs: [], text: '' };
      const parted = { ...at, content_index: 0 };
      yield {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', content: [] },
      };
      yield { type: 'response.content_part.added', ...parted, part };
      for (const delta of planned.pieces) {
        yield { type: 'response.output_text.delta', ...parted, delta, logprobs: [] };
      }
      yield { type: 'response.output_text.done', ...parted, text, logprobs: [] };
      yield { type: 'response.content_part.done', ...parted, part: { ...part, text } };
    } else {
      yield {
        type: 'response.output_item.added',
        output_index: outputIndex,
        item: { ...item, status: 'in_progress', arguments: '' },
      };
      for (const delta of planned.pieces) {
        yield { type: 'response.function_call_arguments.delta', ...at, delta };
      }
      yield { type: 'response.function_call_arguments.done', ...at, arguments: item.arguments };
    }
    yield { type: 'response.output_item.done', output_index: outputIndex, item };
  }
  yield { type: 'response.completed', response: answer.response };
}
