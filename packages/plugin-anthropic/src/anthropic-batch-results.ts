import type { Message } from '@anthropic-ai/sdk/resources/messages';
import type { ProviderBatchResult } from '@llmq/core';
import { z } from 'zod';
import { anthropicBatchAnswer } from './anthropic-batch-answer.ts';

const messageSchema = z.looseObject({
  id: z.string(),
  type: z.literal('message'),
  role: z.literal('assistant'),
  model: z.string(),
  content: z.array(z.looseObject({ type: z.string() })),
  stop_reason: z.string().nullable(),
  stop_sequence: z.string().nullable().optional(),
  usage: z.looseObject({ input_tokens: z.number(), output_tokens: z.number() }),
});

/** One line of a Message Batch's results (`GET /v1/messages/batches/{id}/results`). */
export const anthropicBatchLineSchema = z.object({
  custom_id: z.string(),
  result: z.discriminatedUnion('type', [
    z.object({ type: z.literal('succeeded'), message: messageSchema }),
    z.object({
      type: z.literal('errored'),
      error: z.looseObject({
        error: z.looseObject({ type: z.string(), message: z.string().optional() }),
      }),
    }),
    z.object({ type: z.literal('canceled') }),
    z.object({ type: z.literal('expired') }),
  ]),
});

/** Anthropic says nothing more for these than the type: the reasons are ours. */
const expiredReason =
  'The Anthropic message batch expired (24 hours) before this request was processed';
const canceledReason =
  'The Anthropic message batch was cancelled before this request was processed';

/** A line that could not be read and names no request: skipped, its request ends unanswered. */
export interface UnreadableLine {
  readonly unreadable: string;
}

/**
 * One results line (its text) as its request's outcome, each line alone: a line that cannot be
 * read fails its own request (`unreadable result: …`) when its custom_id can be read, and is
 * otherwise returned as unreadable, so one bad line never stops the rest.
 */
export function anthropicBatchLineResult(
  raw: string,
  providerModel: string,
): ProviderBatchResult | UnreadableLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { unreadable: `not JSON (${(error as Error).message}): ${raw.slice(0, 200)}` };
  }
  const parsed = anthropicBatchLineSchema.safeParse(json);
  if (parsed.success) return anthropicBatchResult(parsed.data, providerModel);
  const customId = (json as { custom_id?: unknown } | null)?.custom_id;
  const why = z.prettifyError(parsed.error);
  if (typeof customId !== 'string') return { unreadable: `${why}: ${raw.slice(0, 200)}` };
  return { customId, type: 'failed', error: `unreadable result: ${why}` };
}

/**
 * A read results line as a request's outcome: a succeeded message as a non-streamed answer; an
 * errored request failed with Anthropic's error message and type; canceled and expired requests
 * as such. An answer a real-time call would refuse (a tool input that is not an object) fails the
 * request with that reason.
 */
export function anthropicBatchResult(
  line: z.infer<typeof anthropicBatchLineSchema>,
  providerModel: string,
): ProviderBatchResult {
  const { custom_id: customId, result } = line;
  switch (result.type) {
    case 'succeeded':
      try {
        return {
          customId,
          type: 'succeeded',
          answer: anthropicBatchAnswer(result.message as unknown as Message, providerModel),
        };
      } catch (error) {
        return {
          customId,
          type: 'failed',
          error: error instanceof Error ? error.message : String(error),
        };
      }
    case 'errored': {
      const { type, message } = result.error.error;
      return { customId, type: 'failed', error: `${message ?? 'The request failed'} (${type})` };
    }
    case 'canceled':
      return { customId, type: 'cancelled', error: canceledReason };
    case 'expired':
      return { customId, type: 'expired', error: expiredReason };
  }
}
