import { type SQL, sql } from 'drizzle-orm';
import { type ResponseRow, responses } from './schema.ts';
import type { UsageEntry } from './usage-ledger.ts';

/**
 * What one answer cost and counts for in the usage ledger, priced by the engine: the model that
 * answered (its llmq id), the tokens billed (cache reads and writes among the input) and the
 * cost in USD (null when the model has no prices; the ledger then counts it as 0).
 */
export interface ResponseSpend {
  readonly model: string;
  readonly costUsd: number | null;
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * The row's cost once this answer is added: a prompt costs every answer it was given (an answer
 * its schema refused, and retried, included); null while no answer was priced.
 */
export function costWith(spend: ResponseSpend | undefined): SQL {
  return spend?.costUsd === null || spend?.costUsd === undefined
    ? sql`${responses.costUsd}`
    : sql`coalesce(${responses.costUsd}, 0) + ${spend.costUsd}`;
}

/** The ledger's day of an end written now: the UTC day of the transaction's `now()`. */
export const ledgerDay = sql<string>`to_char(now() at time zone 'UTC', 'YYYY-MM-DD')`;

/**
 * The ledger upsert of every answer a data-modifying CTE named `ended` wrote, as a further CTE
 * of the same statement: the end and its usage commit together, and only rows the fenced
 * update changed are counted. `ended` returns `owner`, `api_key_id`, `spend_model`,
 * `spend_input`, `spend_output` and `spend_cost`; rows without a `spend_model` are not counted.
 * The groups are upserted in key order, so two statements lock ledger rows in the same order.
 */
export const ledgerOfEnded: SQL = sql`insert into usage_ledger as l
    (day, owner, api_key_id, model, requests, input_tokens, output_tokens, cost_usd)
  select ${ledgerDay}::date, coalesce(owner, ''), coalesce(api_key_id, ''), spend_model,
    count(*)::int, coalesce(sum(spend_input), 0)::bigint, coalesce(sum(spend_output), 0)::bigint,
    coalesce(sum(spend_cost), 0)::float8
  from ended where spend_model is not null
  group by coalesce(owner, ''), coalesce(api_key_id, ''), spend_model
  order by 2, 3, 4
  on conflict (owner, day, api_key_id, model) do update set
    requests = l.requests + excluded.requests,
    input_tokens = l.input_tokens + excluded.input_tokens,
    output_tokens = l.output_tokens + excluded.output_tokens,
    cost_usd = l.cost_usd + excluded.cost_usd`;

/** The ledger's entry of an answer its end write stored: its owner's and key's, that day. */
export function usageEntryOf(
  row: Pick<ResponseRow, 'owner' | 'apiKeyId'>,
  day: string,
  spend: ResponseSpend,
): UsageEntry {
  return {
    day,
    owner: row.owner,
    apiKeyId: row.apiKeyId,
    model: spend.model,
    inputTokens: spend.inputTokens,
    outputTokens: spend.outputTokens,
    costUsd: spend.costUsd ?? 0,
  };
}
