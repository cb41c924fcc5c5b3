import type {
  AttachmentBody,
  ConversationBody,
  PromptAccepted,
  PromptBody,
  PromptSummaryBody,
} from '@llmq/contracts';
import type { AttachmentRow, ConversationRow, PromptWithAttachments, ResponseRow } from '@llmq/db';

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function promptLinks(id: string) {
  return { self: `/v1/prompts/${id}`, stream: `/v1/prompts/${id}/stream` };
}

export function acceptedBody(row: ResponseRow): PromptAccepted {
  return {
    id: row.id,
    status: row.status,
    conversation_id: row.conversationId,
    links: promptLinks(row.id),
  };
}

export function attachmentBody(row: AttachmentRow): AttachmentBody {
  return {
    id: row.id,
    type: row.type,
    size: row.size,
    url: row.url,
    created_at: row.createdAt.toISOString(),
  };
}

export function promptSummaryBody(row: ResponseRow): PromptSummaryBody {
  const finished = row.status === 'succeeded';
  return {
    id: row.id,
    model: row.model,
    resolved_model: row.resolvedModel,
    status: row.status,
    prompt: row.prompt,
    system: row.system,
    options: row.options,
    conversation_id: row.conversationId,
    batch_id: row.batchId,
    custom_id: row.customId,
    text: row.response,
    usage: finished
      ? { input: row.inputTokens, output: row.outputTokens, details: row.tokenDetails ?? null }
      : null,
    duration_ms: row.durationMs,
    datetime_utc: iso(row.datetimeUtc),
    attempts: row.attempts,
    error:
      row.error && row.status !== 'succeeded'
        ? { kind: row.errorKind ?? 'Error', message: row.error }
        : null,
    created_at: row.createdAt.toISOString(),
    started_at: iso(row.startedAt),
    completed_at: iso(row.completedAt),
    links: promptLinks(row.id),
  };
}

export function promptBody(row: PromptWithAttachments): PromptBody {
  return { ...promptSummaryBody(row), attachments: row.attachments.map(attachmentBody) };
}

export function conversationSummaryBody(row: ConversationRow) {
  return { id: row.id, name: row.name, model: row.model, created_at: row.createdAt.toISOString() };
}

export function conversationBody(
  row: ConversationRow & { turns: readonly PromptWithAttachments[] },
): ConversationBody {
  return { ...conversationSummaryBody(row), turns: row.turns.map(promptBody) };
}
