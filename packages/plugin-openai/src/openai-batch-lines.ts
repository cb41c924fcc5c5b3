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

/** The error codes OpenAI gives requests a batch never ran. */
const unrunCodes: Record<string, 'expired' | 'cancelled'> = {
  batch_expired: 'expired',
  batch_cancelled: 'cancelled',
};

/** Each JSON line of an output or error file as a request's outcome (blank lines skipped). */
export function* batchLineResults(
  text: string,
  providerModel: string,
): Generator<ProviderBatchResult> {
  for (const raw of text.split('\n')) {
    if (raw.trim() === '') continue;
    const line = batchOutputLineSchema.parse(JSON.parse(raw));
    const customId = line.custom_id;
    const status = line.response?.status_code;
    if (line.response && status !== undefined && status >= 200 && status < 300) {
      yield {
        customId,
        type: 'succeeded',
        answer: chatCompletionAnswer(line.response.body as ChatCompletion, providerModel),
      };
      continue;
    }
    if (line.error) {
      const code = line.error.code ?? '';
      yield {
        customId,
        type: unrunCodes[code] ?? 'failed',
        error: `${line.error.message ?? 'The request failed'}${code ? ` (${code})` : ''}`,
      };
      continue;
    }
    const body = line.response?.body as { error?: { message?: string; code?: string } } | undefined;
    yield {
      customId,
      type: 'failed',
      error: `${status ?? 'No'} response: ${body?.error?.message ?? 'the request failed'}`,
    };
  }
}
