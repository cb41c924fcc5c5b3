import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import { answerColumns } from './answer-columns.ts';
import type { Database, DatabaseExecutor } from './database.ts';
import { executeRows } from './execute-rows.ts';
import type { PromptFailure, PromptResult } from './prompt-attempts.ts';
import { responseColumns } from './response-columns.ts';
import { costWith, ledgerDay, type ResponseSpend, usageEntryOf } from './response-spend.ts';
import {
  type ChainEnd,
  type ResponseRow,
  responses,
  type StoredToolCall,
  type ToolResultRow,
  toolResults,
} from './schema.ts';
import { addUsage } from './usage-ledger.ts';

/** A step of a chain with the tool results its prompt carried, in call order. */
export interface ChainStepRow extends ResponseRow {
  readonly toolResults: readonly ToolResultRow[];
}

/** The results each response carried, in call order; responses that carried none are absent. */
export async function toolResultsOf(
  db: DatabaseExecutor,
  responseIds: readonly string[],
): Promise<Map<string, ToolResultRow[]>> {
  const byResponse = new Map<string, ToolResultRow[]>();
  if (responseIds.length === 0) return byResponse;
  const rows = await db
    .select()
    .from(toolResults)
    .where(inArray(toolResults.responseId, [...responseIds]))
    .orderBy(asc(toolResults.responseId), asc(toolResults.position));
  for (const row of rows) {
    const list = byResponse.get(row.responseId);
    if (list) list.push(row);
    else byResponse.set(row.responseId, [row]);
  }
  return byResponse;
}

/** Every step of a chain in order, its first (the prompt the client made) included. */
export async function chainStepsOf(db: Database, chainId: string): Promise<ChainStepRow[]> {
  const rows = await db
    .select(responseColumns)
    .from(responses)
    .where(eq(responses.chainId, chainId))
    .orderBy(asc(responses.chainStep));
  const results = await toolResultsOf(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, toolResults: results.get(row.id) ?? [] }));
}

/** Which attempt of a chain writes: its first step's row must be running that attempt. */
export interface ChainAttempt {
  readonly chainId: string;
  readonly attempt: number;
}

/**
 * The fence of every chain write: the first step's row is running this attempt, read `FOR
 * SHARE` so it stays so until the write commits. A cancel or a later attempt's claim (which
 * update that row) then waits for the write, or the write, waiting for them, finds the row
 * changed and writes nothing: no step is added to, or answered in, a chain that has ended.
 */
function chainOwned(owner: ChainAttempt) {
  return sql`exists (select 1 from ${responses} as chain_root where chain_root.id = ${owner.chainId} and chain_root.status = 'running' and chain_root.attempts = ${owner.attempt} for share)`;
}

/**
 * Add the chain's next step (running, no answer yet), only while this attempt owns the chain;
 * false otherwise. The step takes the first step's model, options, tools and conversation.
 */
export async function createChainStep(
  db: Database,
  owner: ChainAttempt,
  step: { readonly id: string; readonly step: number },
): Promise<boolean> {
  const rows = await executeRows<{ id: string }>(
    db,
    sql`insert into ${responses} (id, conversation_id, batch_id, model, prompt, options, tools, chain_id, chain_step, status, owner, api_key_id, started_at)
      select ${step.id}, conversation_id, batch_id, model, '', options, coalesce(tools, '[]'::json), id, ${step.step}, 'running', owner, api_key_id, now()
      from ${responses} where id = ${owner.chainId} and status = 'running' and attempts = ${owner.attempt}
      for share
      on conflict do nothing
      returning id`,
  );
  return rows.length > 0;
}

/** A model call's answer as a step stores it: the prompt's answer and the tools it called. */
export interface StepAnswer extends PromptResult {
  readonly toolCalls: readonly StoredToolCall[] | null;
}

/**
 * Store one step's answer, only while this attempt owns the chain. A later step is done with
 * it (`succeeded`); the first step stays `running` until the whole chain ends, as it is the
 * prompt the client follows. Each step is one model call: its spend goes to the usage ledger
 * in the same transaction, once (a resumed chain never asks a stored step again). A later
 * step's cost is also added to the first step's, so the prompt the client made (its body, its
 * lists, its webhook) costs the whole chain, as its `done` event's usage sums the steps.
 */
export async function storeStepAnswer(
  db: Database,
  owner: ChainAttempt,
  stepId: string,
  answer: StepAnswer,
): Promise<boolean> {
  const first = stepId === owner.chainId;
  return db.transaction(async (tx) => {
    const written = await storeStepRow(tx, owner, stepId, first, answer);
    if (written && answer.spend) {
      await addUsage(tx, usageEntryOf(written, written.endedOn, answer.spend));
      // The step's write above held the first step's row (the fence), so this one finds it.
      if (!first) await addCostToChain(tx, owner, answer.spend);
    }
    return written !== undefined;
  });
}

async function storeStepRow(
  db: DatabaseExecutor,
  owner: ChainAttempt,
  stepId: string,
  first: boolean,
  answer: StepAnswer,
) {
  const [row] = await db
    .update(responses)
    .set({
      ...(first ? {} : { status: 'succeeded' as const, completedAt: sql`now()` }),
      ...answerColumns(answer),
      fallbackReason: answer.fallbackReason ?? null,
      toolCalls: answer.toolCalls && answer.toolCalls.length > 0 ? [...answer.toolCalls] : null,
    })
    .where(
      and(
        eq(responses.id, stepId),
        eq(responses.chainId, owner.chainId),
        eq(responses.status, 'running'),
        chainOwned(owner),
      ),
    )
    .returning({ owner: responses.owner, apiKeyId: responses.apiKeyId, endedOn: ledgerDay });
  return row;
}

async function addCostToChain(
  tx: DatabaseExecutor,
  owner: ChainAttempt,
  spend: ResponseSpend,
): Promise<void> {
  if (spend.costUsd === null) return;
  await tx
    .update(responses)
    .set({ costUsd: costWith(spend) })
    .where(
      and(
        eq(responses.id, owner.chainId),
        eq(responses.status, 'running'),
        eq(responses.attempts, owner.attempt),
      ),
    );
}

export interface NewToolResult {
  readonly toolCallId: string;
  readonly position: number;
  readonly name: string;
  readonly output: string;
  readonly exception?: string | null | undefined;
}

/**
 * Store a tool's result on the step that carries it to the model, only while this attempt owns
 * the chain: the result stored for the call (this one, or one stored before, which stays as it
 * is: the call ran once), or undefined when the attempt no longer owns the chain.
 */
export async function storeToolResult(
  db: Database,
  owner: ChainAttempt,
  carrierId: string,
  result: NewToolResult,
): Promise<ToolResultRow | undefined> {
  const [inserted] = await executeRows<{ tool_call_id: string }>(
    db,
    sql`insert into ${toolResults} (response_id, tool_call_id, position, name, output, exception)
      select ${carrierId}, ${result.toolCallId}, ${result.position}, ${result.name}, ${result.output}, ${result.exception ?? null}
      where ${chainOwned(owner)}
      on conflict (response_id, tool_call_id) do nothing
      returning tool_call_id`,
  );
  const [stored] = await db
    .select()
    .from(toolResults)
    .where(
      and(
        eq(toolResults.responseId, carrierId),
        eq(toolResults.toolCallId, result.toolCallId),
        inserted ? undefined : chainOwned(owner),
      ),
    );
  return stored;
}

/**
 * End a chain that answered: its first step succeeds with how the chain ended and its data (the
 * last answer parsed, for a schema), only while this attempt owns it.
 */
export async function succeedChain(
  db: Database,
  owner: ChainAttempt,
  end: ChainEnd,
  data?: unknown,
): Promise<ResponseRow | undefined> {
  const [row] = await db
    .update(responses)
    .set({
      status: 'succeeded',
      errorKind: null,
      error: null,
      completedAt: sql`now()`,
      chainEnd: end,
      ...(data === undefined ? {} : { data }),
    })
    .where(
      and(
        eq(responses.id, owner.chainId),
        eq(responses.status, 'running'),
        eq(responses.attempts, owner.attempt),
      ),
    )
    .returning();
  return row;
}

/**
 * End the unfinished later steps of a chain whose first step just ended otherwise than in
 * success (failed or cancelled), in the transaction that ended it: no step is left running.
 */
export async function endUnfinishedSteps(
  tx: DatabaseExecutor,
  chainId: string,
  status: 'failed' | 'cancelled',
  failure?: PromptFailure,
): Promise<void> {
  await tx
    .update(responses)
    .set({
      status,
      completedAt: sql`now()`,
      ...(failure ? { errorKind: failure.errorKind, error: failure.error } : {}),
    })
    .where(
      and(
        eq(responses.chainId, chainId),
        ne(responses.id, chainId),
        inArray(responses.status, ['queued', 'running']),
      ),
    );
}
