import type { ResponseReasoningItem } from 'openai/resources/responses/responses';
import { z } from 'zod';

const reasoningItemSchema = z.object({
  type: z.literal('reasoning'),
  id: z.string().min(1),
  summary: z.array(z.object({ type: z.literal('summary_text'), text: z.string() })),
  encrypted_content: z.string().min(1),
});

const storedPayloadSchema = z.object({
  object: z.literal('response'),
  output: z.array(z.unknown()),
});

/**
 * The reasoning items, with their encrypted content, of an earlier Responses API answer as this
 * plugin stored it (`responsesPayload`), to send back before that turn's output: with `store:
 * false` OpenAI keeps nothing, so the model sees its own earlier reasoning only this way. Any
 * other payload (a Chat Completions answer, another plugin's, an item without encrypted content)
 * gives none: it is stored data, checked rather than trusted.
 */
export function storedReasoningItems(providerData: unknown): ResponseReasoningItem[] {
  const payload = storedPayloadSchema.safeParse(providerData);
  if (!payload.success) return [];
  const items: ResponseReasoningItem[] = [];
  for (const output of payload.data.output) {
    const item = reasoningItemSchema.safeParse(output);
    if (item.success) items.push(item.data);
  }
  return items;
}
