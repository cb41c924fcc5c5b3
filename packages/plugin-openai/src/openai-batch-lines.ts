import type { ProviderBatchResult } from '@llmq/core';
import type { ChatCompletion } from 'openai/resources/chat/completions';
import { z } from 'zod';
import { chatCompletionAnswer } from './openai-batch-answer.ts';

/**
 * One line of a Batch API output or error file: `response` with the request's HTTP status and
 * body, or `error` when the request never got one (expired, cancelled, refused).
 */
const batchOutputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), body: z.unknown() }).nullable().optional(),
  error: z
    .object({ code: z.string().nullish(), message: z.string().nullish() })
    .nullable()
    .optional(),
});

/** A succeeded line's body as far as the answer needs it: the rest is read as it comes. */
const chatCompletionSchema = z.looseObject({
  model: z.string(),
  choices: z.array(z.looseObject({ message: z.looseObject({}) })).min(1),
});

/** The error codes OpenAI gives requests a batch never ran. */
const unrunCodes: Record<string, 'expired' | 'cancelled'> = {
  batch_expired: 'expired',
  batch_cancelled: 'cancelled',
};

/** A line that could not be read and names no request: skipped, its request ends unanswered. */
export interface UnreadableLine {
  readonly unreadable: string;
}

/**
 * One JSON line of an output or error file as its request's outcome, each line alone: a line
 * that cannot be read fails its own request (`unreadable result: …`) when its custom_id can be
 * read, and is otherwise returned as unreadable, so one bad line never stops the rest.
 */
export function batchLineResult(
  raw: string,
  providerModel: string,
): ProviderBatchResult | UnreadableLine {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch (error) {
    return { unreadable: `not JSON (${(error as Error).message}): ${raw.slice(0, 200)}` };
  }
  const customId = (json as { custom_id?: unknown } | null)?.custom_id;
  try {
    return lineResult(batchOutputLineSchema.parse(json), providerModel);
  } catch (error) {
    const why = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    if (typeof customId !== 'string') return { unreadable: `${why}: ${raw.slice(0, 200)}` };
    return { customId, type: 'failed', error: `unreadable result: ${why}` };
  }
}

function lineResult(
  line: z.infer<typeof batchOutputLineSchema>,
  providerModel: string,
): ProviderBatchResult {
  const customId = line.custom_id;
  const status = line.response?.status_code;
  if (line.response && status !== undefined && status >= 200 && status < 300) {
    const body = chatCompletionSchema.parse(line.response.body);
    return {
      customId,
      type: 'succeeded',
      answer: chatCompletionAnswer(body as unknown as ChatCompletion, providerModel),
    };
  }
  if (line.error) {
    const code = line.error.code ?? '';
    return {
      customId,
      type: unrunCodes[code] ?? 'failed',
      error: `${line.error.message ?? 'The request failed'}${code ? ` (${code})` : ''}`,
    };
  }
  const body = line.response?.body as { error?: { message?: string; code?: string } } | undefined;
  return {
    customId,
    type: 'failed',
    error: `${status ?? 'No'} response: ${body?.error?.message ?? 'the request failed'}`,
  };
}
