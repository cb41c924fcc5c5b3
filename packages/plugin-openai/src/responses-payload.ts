import type { Response, ResponseOutputItem } from 'openai/resources/responses/responses';
import { withoutNulls } from './without-nulls.ts';

/**
 * What is stored of a Responses API answer (`json()`, kept per row as `response_json`): its id,
 * model, status and usage, and of its output only the items a later turn sends back or a reader
 * cannot get elsewhere: reasoning (its summary and encrypted content) and function calls. The
 * text is stored as the answer already, and the event stream is never kept.
 */
export function responsesPayload(response: Response): Record<string, unknown> {
  return withoutNulls({
    id: response.id,
    object: 'response',
    model: response.model,
    status: response.status,
    incomplete_details: response.incomplete_details,
    output: response.output.flatMap(keptItem),
    usage: response.usage,
  }) as Record<string, unknown>;
}

function keptItem(item: ResponseOutputItem): Record<string, unknown>[] {
  if (item.type === 'reasoning') {
    return [
      {
        type: 'reasoning',
        id: item.id,
        summary: item.summary,
        encrypted_content: item.encrypted_content,
      },
    ];
  }
  if (item.type === 'function_call') {
    return [
      {
        type: 'function_call',
        id: item.id,
        call_id: item.call_id,
        name: item.name,
        arguments: item.arguments,
      },
    ];
  }
  return [];
}
