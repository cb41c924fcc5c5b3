import type { PromptEvent } from '@llmq/contracts';
import type { ResponseRow } from '@llmq/db';
import { chainDoneEvent } from './chain-done-event.ts';

type FinalEvent = Extract<PromptEvent, { type: 'done' } | { type: 'error' }>;

/** The `done` or `error` event that ends the log of a prompt whose row has ended. */
export function finalEventOf(
  prompt: Pick<
    ResponseRow,
    | 'status'
    | 'inputTokens'
    | 'outputTokens'
    | 'tokenDetails'
    | 'durationMs'
    | 'errorKind'
    | 'error'
    | 'schemaId'
    | 'data'
    | 'chainEnd'
  >,
): FinalEvent {
  if (prompt.status === 'succeeded' && prompt.chainEnd) {
    return chainDoneEvent(prompt.chainEnd, prompt.schemaId ? (prompt.data ?? null) : undefined);
  }
  if (prompt.status === 'succeeded') {
    return {
      type: 'done',
      status: 'succeeded',
      usage: {
        input: prompt.inputTokens,
        output: prompt.outputTokens,
        details: prompt.tokenDetails ?? null,
      },
      duration_ms: prompt.durationMs ?? 0,
      ...(prompt.schemaId ? { data: prompt.data ?? null } : {}),
    };
  }
  const cancelled = prompt.status === 'cancelled';
  return {
    type: 'error',
    status: cancelled ? 'cancelled' : 'failed',
    error: {
      kind: cancelled ? 'Cancelled' : (prompt.errorKind ?? 'Error'),
      message: prompt.error ?? (cancelled ? 'The prompt was cancelled' : 'The prompt failed'),
    },
  };
}
