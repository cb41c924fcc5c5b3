import { and, sql } from 'drizzle-orm';
import type { Database } from './database.ts';
import { executeRows } from './execute-rows.ts';
import type { PromptWithAttachments } from './get-prompt.ts';
import { preparedPerDatabase } from './prepared-per-database.ts';
import type { PromptResult } from './prompt-attempts.ts';
import { responseColumns } from './response-columns.ts';
import { ledgerOfEnded } from './response-spend.ts';
import { type AttachmentRow, type ResponseRow, responses } from './schema.ts';
import { textArray, textArrayLiteral } from './text-array.ts';

export interface Claim {
  readonly id: string;
  readonly attempt: number;
}

/** A prompt's attachments in order, as JSON objects named like `AttachmentRow`'s fields. */
const attachmentsJson = sql<AttachmentJson[]>`(
  select coalesce(json_agg(json_build_object(
    'id', a.id, 'type', a.type, 'size', a.size, 'url', a.url,
    'storageKey', a.storage_key, 'createdAt', a.created_at, 'touchedAt', a.touched_at
  ) order by pa.position), '[]'::json)
  from prompt_attachments pa join attachments a on a.id = pa.attachment_id
  where pa.response_id = ${responses.id}
)`;

interface AttachmentJson extends Omit<AttachmentRow, 'createdAt' | 'touchedAt' | 'size'> {
  readonly size: number | string;
  readonly createdAt: string;
  readonly touchedAt: string;
}

const claimStatement = preparedPerDatabase((db) =>
  db
    .update(responses)
    .set({ status: 'running', attempts: sql`v.attempt`, startedAt: sql`now()` })
    .from(sql`jsonb_to_recordset(${sql.placeholder('claims')}::jsonb) as v(id text, attempt int)`)
    .where(
      and(
        sql`${responses.id} = v.id`,
        // The ids again, as an array the planner can count: from the JSON alone it expects a
        // hundred rows, and joins them by hashing the whole table.
        sql`${responses.id} = any(${sql.placeholder('ids')}::text[])`,
        // Never through a status index: with statistics from when few rows were queued (a big
        // batch queued since autovacuum last looked) the planner combined it with the ids, and
        // every claim read the entries of every queued row.
        sql`coalesce(${responses.status}, '') in ('queued', 'running')`,
        sql`${responses.attempts} < v.attempt`,
      ),
    )
    .returning({ ...responseColumns, attachmentsJson })
    .prepare('llmq_claim_prompts'),
);

/**
 * Claim prompts for their attempts, in one statement (a worker running many jobs at once claims
 * them together): each becomes `running` with its attempt number, unless it has ended
 * (succeeded, failed, cancelled) or a later attempt already owns it. Returns the rows this call
 * now owns, by id, with their attachments.
 */
export async function markPromptsRunning(
  db: Database,
  claims: readonly Claim[],
): Promise<Map<string, PromptWithAttachments>> {
  const owned = new Map<string, PromptWithAttachments>();
  if (claims.length === 0) return owned;
  // The claimed rows and their attachments come back from the UPDATE itself: one statement.
  const rows = await claimStatement(db).execute({
    claims: JSON.stringify(claims),
    ids: textArrayLiteral(claims.map((claim) => claim.id)),
  });
  for (const { attachmentsJson: attachmentList, ...row } of rows) {
    owned.set(row.id, {
      ...(row as ResponseRow),
      attachments: attachmentList.map((attachment) => ({
        ...attachment,
        size: Number(attachment.size),
        createdAt: new Date(attachment.createdAt),
        touchedAt: new Date(attachment.touchedAt),
      })),
    });
  }
  return owned;
}

export interface Completion extends PromptResult {
  readonly id: string;
  readonly attempt: number;
}

/**
 * `completePrompt` for many prompts in one statement: each answer is stored only where its
 * attempt still owns the running row. Returns the attempt written for each id written.
 */
export async function completePrompts(
  db: Database,
  completions: readonly Completion[],
): Promise<Map<string, number>> {
  if (completions.length === 0) return new Map();
  const records = completions.map((completion) => ({
    id: completion.id,
    attempt: completion.attempt,
    response: completion.response,
    response_json: completion.responseJson ?? null,
    prompt_json: completion.promptJson ?? null,
    input_tokens: completion.inputTokens,
    output_tokens: completion.outputTokens,
    token_details: completion.tokenDetails,
    duration_ms: completion.durationMs,
    datetime_utc: completion.datetimeUtc.toISOString(),
    resolved_model: completion.resolvedModel,
    data: completion.data ?? null,
    reasoning: completion.reasoning ?? null,
    fallback_reason: completion.fallbackReason ?? null,
    cost_usd: completion.spend?.costUsd ?? null,
    spend_model: completion.spend?.model ?? null,
    spend_input: completion.spend?.inputTokens ?? null,
    spend_output: completion.spend?.outputTokens ?? null,
  }));
  const written = await executeRows<{ id: string; attempts: number }>(
    db,
    // The answers and their usage in one statement: the ledger counts exactly the rows the
    // fenced update wrote, and the hot path gains no round trip.
    sql`with ended as (update responses as r
        set status = 'succeeded', response = v.response, response_json = v.response_json,
            prompt_json = v.prompt_json, input_tokens = v.input_tokens,
            output_tokens = v.output_tokens, token_details = v.token_details,
            duration_ms = v.duration_ms, datetime_utc = v.datetime_utc,
            resolved_model = v.resolved_model, data = v.data, reasoning = v.reasoning,
            fallback_reason = v.fallback_reason,
            cost_usd = case when v.cost_usd is null then r.cost_usd
              else coalesce(r.cost_usd, 0) + v.cost_usd end,
            error_kind = null,
            error = null, completed_at = now()
        from json_to_recordset(${JSON.stringify(records)}::json) as v(
          id text, attempt int, response text, response_json jsonb, prompt_json jsonb,
          input_tokens int, output_tokens int, token_details jsonb, duration_ms int,
          datetime_utc timestamptz, resolved_model text, data json, reasoning text,
          fallback_reason text, cost_usd float8, spend_model text, spend_input bigint,
          spend_output bigint)
        where r.id = v.id and r.id = any(${textArray(completions.map((completion) => completion.id))})
          and r.attempts = v.attempt
          -- Matched through the primary key (the ids as an array the planner can count),
          -- never a scan: the status index would hash every running row's entry (dead ones
          -- of every job since the last vacuum included) for each completion, and the JSON
          -- alone looks like a hundred rows, worth hashing the whole table for.
          and coalesce(r.status, '') = 'running'
        -- json_to_recordset, not jsonb's: data (a json column) keeps the model's key order.
        returning r.id, r.attempts, r.owner, r.api_key_id, v.spend_model, v.spend_input,
          v.spend_output, v.cost_usd as spend_cost),
      counted as (${ledgerOfEnded})
      select id, attempts from ended`,
  );
  return new Map(written.map((row) => [row.id, Number(row.attempts)]));
}
