import type { EndedBatchStatus } from '@llmq/contracts';
import type { BatchCounts, BatchRow, ResponseRow, WebhookEventType } from '@llmq/db';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

/** A webhook's body before it is written out: the event, when it happened, and its subject. */
export interface WebhookEvent {
  readonly type: WebhookEventType;
  /** When the subject ended (ISO 8601). */
  readonly timestamp: string;
  readonly data: Record<string, unknown>;
}

/**
 * A prompt's end as its webhook tells it: the fields of `GET /v1/prompts/{id}` a receiver acts
 * on (status, answer, usage, cost, error) in the same names; the rest is one GET away (links).
 * Undefined for a prompt that was cancelled: the caller cancelled it and needs no notice.
 */
export function promptEvent(row: ResponseRow): WebhookEvent | undefined {
  if (row.status !== 'succeeded' && row.status !== 'failed') return undefined;
  const succeeded = row.status === 'succeeded';
  const ended = row.completedAt ?? new Date();
  return {
    type: succeeded ? 'prompt.succeeded' : 'prompt.failed',
    timestamp: ended.toISOString(),
    data: {
      id: row.id,
      object: 'prompt',
      status: row.status,
      model: row.model,
      resolved_model: row.resolvedModel,
      conversation_id: row.conversationId,
      text: row.response,
      data: row.data ?? null,
      usage: succeeded
        ? { input: row.inputTokens, output: row.outputTokens, details: row.tokenDetails ?? null }
        : null,
      cost_usd: row.costUsd ?? null,
      attempts: row.attempts,
      error:
        !succeeded && row.error ? { kind: row.errorKind ?? 'Error', message: row.error } : null,
      metadata: row.metadata ?? null,
      created_at: row.createdAt.toISOString(),
      started_at: iso(row.startedAt),
      completed_at: iso(row.completedAt),
      links: { self: `/v1/prompts/${row.id}` },
    },
  };
}

const batchEventTypes: Record<EndedBatchStatus, WebhookEventType> = {
  completed: 'batch.completed',
  failed: 'batch.failed',
  cancelled: 'batch.cancelled',
};

/** A batch's end as its webhook tells it: its status and counts, as `GET /v1/batches/{id}`. */
export function batchEvent(
  batch: BatchRow,
  status: EndedBatchStatus,
  counts: BatchCounts,
): WebhookEvent {
  const ended = batch.completedAt ?? batch.cancelledAt ?? new Date();
  return {
    type: batchEventTypes[status],
    timestamp: ended.toISOString(),
    data: {
      id: batch.id,
      object: 'batch',
      status,
      model: batch.model,
      mode: batch.mode,
      counts,
      error: batch.error,
      metadata: batch.metadata ?? null,
      created_at: batch.createdAt.toISOString(),
      started_at: iso(batch.startedAt),
      completed_at: iso(batch.completedAt),
      cancelled_at: iso(batch.cancelledAt),
      links: { self: `/v1/batches/${batch.id}`, results: `/v1/batches/${batch.id}/results` },
    },
  };
}
