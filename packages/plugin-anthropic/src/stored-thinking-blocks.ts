import type {
  RedactedThinkingBlockParam,
  ThinkingBlockParam,
} from '@anthropic-ai/sdk/resources/messages';
import { z } from 'zod';

const thinkingBlockSchema = z.object({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().min(1),
});

const redactedThinkingBlockSchema = z.object({
  type: z.literal('redacted_thinking'),
  data: z.string().min(1),
});

const storedPayloadSchema = z.object({ content: z.array(z.unknown()) });

export type StoredThinkingBlock = ThinkingBlockParam | RedactedThinkingBlockParam;

/**
 * The thinking blocks of an assistant turn's stored payload (its `json()`: the message's
 * `content`), each as Anthropic gave it: with thinking on, Anthropic wants them back unchanged,
 * signature and all, before the turn's text and tool calls. A payload of another plugin or
 * without thinking gives none.
 */
export function storedThinkingBlocks(providerData: unknown): StoredThinkingBlock[] {
  const payload = storedPayloadSchema.safeParse(providerData);
  if (!payload.success) return [];
  const blocks: StoredThinkingBlock[] = [];
  for (const block of payload.data.content) {
    const thinking = thinkingBlockSchema.safeParse(block);
    if (thinking.success) {
      blocks.push({
        type: 'thinking',
        thinking: thinking.data.thinking,
        signature: thinking.data.signature,
      });
      continue;
    }
    const redacted = redactedThinkingBlockSchema.safeParse(block);
    if (redacted.success) blocks.push({ type: 'redacted_thinking', data: redacted.data.data });
  }
  return blocks;
}
