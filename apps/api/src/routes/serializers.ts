import type {
  AttachmentBody,
  BatchBody,
  BatchResultBody,
  ConversationBody,
  PromptAccepted,
  PromptBody,
  PromptSummaryBody,
  StoredSchemaBody,
} from '@llmq/contracts';
import type {
  AttachmentRow,
  ChainStepRow,
  ConversationRow,
  PromptWithAttachments,
  ResponseRow,
  SchemaRow,
  ToolResultRow,
} from '@llmq/db/reads';
import type { BatchCost, BatchState } from '@llmq/engine';

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
    fallback_reason: row.fallbackReason,
    status: row.status,
    prompt: row.prompt,
    system: row.system,
    options: row.options,
    conversation_id: row.conversationId,
    batch_id: row.batchId,
    custom_id: row.customId,
    text: row.response,
    schema_id: row.schemaId,
    data: row.data ?? null,
    reasoning: row.reasoning,
    usage: finished
      ? { input: row.inputTokens, output: row.outputTokens, details: row.tokenDetails ?? null }
      : null,
    cost_usd: row.costUsd,
    tools:
      row.tools?.map((tool) => ({
        name: tool.name,
        description: tool.description ?? null,
        input_schema: tool.input_schema,
        runs_on_server: tool.runs_on_server,
      })) ?? null,
    tool_calls: row.toolCalls ?? null,
    // A chain ends as it says (its last step); any other model call by its own calls.
    finish_reason: finished
      ? (row.chainEnd?.finish_reason ?? (row.toolCalls ? 'tool_calls' : 'stop'))
      : null,
    chain: row.chainId
      ? { id: row.chainId, step: row.chainStep ?? 1, limit: row.chainLimit }
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

/** A prompt in full: with its attachments, the tool results it carried and, for a chain's first step, its steps. */
export function promptBody(
  row: PromptWithAttachments & {
    readonly toolResults?: readonly ToolResultRow[] | undefined;
    readonly chainSteps?: readonly ChainStepRow[] | undefined;
  },
): PromptBody {
  const summary = promptSummaryBody(row);
  const steps = row.chainSteps;
  return {
    ...summary,
    attachments: row.attachments.map(attachmentBody),
    tool_results: (row.toolResults ?? []).map(toolResultBody),
    ...(summary.chain && steps && row.chainId === row.id
      ? {
          chain: {
            ...summary.chain,
            steps: steps.map((step) => step.id),
            text: steps.map((step) => step.response ?? '').join(''),
          },
        }
      : {}),
  };
}

export function toolResultBody(row: ToolResultRow) {
  return {
    tool_call_id: row.toolCallId,
    name: row.name,
    output: row.output,
    exception: row.exception,
  };
}

export function conversationSummaryBody(row: ConversationRow) {
  return { id: row.id, name: row.name, model: row.model, created_at: row.createdAt.toISOString() };
}

export function conversationBody(
  row: ConversationRow & { turns: readonly PromptWithAttachments[] },
): ConversationBody {
  return { ...conversationSummaryBody(row), turns: row.turns.map(promptBody) };
}

export function batchBody(state: BatchState, cost: BatchCost | null = null): BatchBody {
  const { batch } = state;
  const template = batch.template as {
    prompt?: string | null;
    system?: string | null;
    options?: Record<string, unknown>;
  };
  return {
    id: batch.id,
    model: batch.model,
    status: state.status,
    counts: state.counts,
    prompt: template.prompt ?? null,
    items_with_own_prompt: batch.itemsWithOwnPrompt,
    system: template.system ?? null,
    options: template.options ?? {},
    schema_id: batch.schemaId,
    mode: batch.mode,
    cost,
    error: batch.error,
    created_at: batch.createdAt.toISOString(),
    started_at: iso(batch.startedAt),
    completed_at: iso(batch.completedAt),
    cancelled_at: iso(batch.cancelledAt),
    links: {
      self: `/v1/batches/${batch.id}`,
      stream: `/v1/batches/${batch.id}/stream`,
      results: `/v1/batches/${batch.id}/results`,
    },
  };
}

export function batchResultBody(row: ResponseRow): BatchResultBody {
  const summary = promptSummaryBody(row);
  return {
    index: row.batchIndex ?? 0,
    custom_id: row.customId,
    prompt_id: row.id,
    status: row.status,
    text: summary.text,
    data: summary.data,
    usage: summary.usage,
    error: summary.error,
  };
}

export function storedSchemaBody(row: SchemaRow): StoredSchemaBody {
  return { id: row.id, schema: row.content, created_at: row.createdAt.toISOString() };
}
