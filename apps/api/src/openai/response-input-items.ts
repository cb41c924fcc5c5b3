import type { PromptWithAttachments, ToolResultRow } from '@llmq/db/reads';
import { z } from 'zod';
import { OpenAIRequestError } from './openai-error.ts';
import { inputItemId } from './response-ids.ts';

/** The query of `GET /responses/{id}/input_items`, as OpenAI pages lists. */
export const inputItemsQuerySchema = z.object({
  after: z.string().min(1).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  include: z.union([z.string(), z.array(z.string())]).optional(),
});
export type InputItemsQuery = z.infer<typeof inputItemsQuerySchema>;

/**
 * A response's own input as OpenAI's input items, in the order the model was given them: the
 * tool results it carried (`function_call_output`), then its user message (its text as
 * `input_text`, each image as `input_image` and each other attachment as `input_file`, both
 * pointing at llmq's attachment content). Instructions are not input items, as at OpenAI; the
 * earlier turns of a request sent whole are turns of their own in the conversation.
 */
export function inputItemsOf(
  prompt: PromptWithAttachments,
  results: readonly ToolResultRow[],
): Record<string, unknown>[] {
  const items: Record<string, unknown>[] = results.map((result, index) => ({
    id: inputItemId('fco', prompt.id, index),
    type: 'function_call_output',
    call_id: result.toolCallId,
    output: result.output,
    status: 'completed',
  }));
  const content: Record<string, unknown>[] = [];
  if (prompt.prompt) content.push({ type: 'input_text', text: prompt.prompt });
  for (const attachment of prompt.attachments) {
    const url = `/v1/attachments/${attachment.id}/content`;
    content.push(
      attachment.type.startsWith('image/')
        ? { type: 'input_image', detail: 'auto', file_id: null, image_url: url }
        : { type: 'input_file', file_id: null, file_url: url },
    );
  }
  if (content.length > 0) {
    items.push({
      id: inputItemId('msg', prompt.id, results.length),
      type: 'message',
      role: 'user',
      status: 'completed',
      content,
    });
  }
  return items;
}

/**
 * One page of items, as OpenAI lists them. An `after` that names none of the response's items is
 * a 400 naming `after`, as at OpenAI: starting again from the first item would list items twice.
 */
export function inputItemsPage(items: readonly Record<string, unknown>[], query: InputItemsQuery) {
  const ordered = query.order === 'desc' ? [...items].reverse() : [...items];
  let start = 0;
  if (query.after !== undefined) {
    const cursor = ordered.findIndex((item) => item.id === query.after);
    if (cursor < 0) {
      throw new OpenAIRequestError(
        400,
        `Invalid 'after': no input item of this response has the id '${query.after}'.`,
        'after',
        'invalid_value',
      );
    }
    start = cursor + 1;
  }
  const data = ordered.slice(start, start + query.limit);
  return {
    object: 'list' as const,
    data,
    first_id: (data[0]?.id as string | undefined) ?? null,
    last_id: (data.at(-1)?.id as string | undefined) ?? null,
    has_more: start + data.length < ordered.length,
  };
}
