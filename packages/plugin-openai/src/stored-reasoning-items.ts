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
  model: z.string().optional(),
  output: z.array(z.unknown()),
});

/** Whether `answered` (OpenAI names a snapshot, `o4-mini-2025-04-16`) is the model `asked`. */
function sameModel(answered: string, asked: string): boolean {
  return answered === asked || answered.startsWith(`${asked}-`) || asked.startsWith(`${answered}-`);
}

/**
 * The reasoning items, with their encrypted content, of an earlier Responses API answer as this
 * plugin stored it (`responsesPayload`), to send back before that turn's output: with `store:
 * false` OpenAI keeps nothing, so the model sees its own earlier reasoning only this way. Any
 * other payload (a Chat Completions answer, another plugin's, an item without encrypted content,
 * another model's answer) gives none: it is stored data, checked rather than trusted.
 */
export function storedReasoningItems(
  providerData: unknown,
  model?: string,
): ResponseReasoningItem[] {
  const payload = storedPayloadSchema.safeParse(providerData);
  if (!payload.success) return [];
  // Another model's encrypted reasoning is refused (it cannot read it): it is left out.
  if (model && payload.data.model && !sameModel(payload.data.model, model)) return [];
  const items: ResponseReasoningItem[] = [];
  for (const output of payload.data.output) {
    const item = reasoningItemSchema.safeParse(output);
    if (item.success) items.push(item.data);
  }
  return items;
}
