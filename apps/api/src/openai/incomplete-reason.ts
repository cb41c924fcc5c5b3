import type { ResponseRow } from '@llmq/db/reads';

/**
 * Why a succeeded prompt's answer stopped short, as OpenAI's `incomplete_details.reason`, read
 * from what the model's plugin stored of its answer (`response_json`): a Responses API answer's
 * own `status: "incomplete"`, a Chat Completions `finish_reason` (streamed: at the top; whole:
 * in its choice) or an Anthropic `stop_reason`. A `length` or `max_tokens` stop is
 * `max_output_tokens`, a `content_filter` stop `content_filter`; undefined when the answer is
 * whole or the plugin stores no such thing (echo). The log's `done` event says none of this,
 * so only a response read from its row can be `incomplete`, not one in a stream.
 */
export function incompleteReasonOf(row: Pick<ResponseRow, 'responseJson'>): string | undefined {
  const stored = row.responseJson;
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return undefined;
  const answer = stored as Record<string, unknown>;
  if (answer.status === 'incomplete') {
    const details = answer.incomplete_details as { reason?: unknown } | undefined;
    return typeof details?.reason === 'string' ? details.reason : 'max_output_tokens';
  }
  const [choice] = Array.isArray(answer.choices) ? answer.choices : [];
  const stop =
    answer.finish_reason ??
    (choice as { finish_reason?: unknown } | undefined)?.finish_reason ??
    answer.stop_reason;
  if (stop === 'length' || stop === 'max_tokens') return 'max_output_tokens';
  if (stop === 'content_filter') return 'content_filter';
  return undefined;
}
