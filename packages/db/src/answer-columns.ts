import { sql } from 'drizzle-orm';
import type { PromptResult } from './prompt-attempts.ts';
import { costWith } from './response-spend.ts';

/**
 * A model's answer as row columns, the same wherever it is stored: a prompt's end, a provider
 * batch's import, a chain's step.
 */
export function answerColumns(result: PromptResult) {
  return {
    response: result.response,
    responseJson: result.responseJson,
    promptJson: result.promptJson,
    inputTokens: result.inputTokens,
    outputTokens: result.outputTokens,
    tokenDetails: result.tokenDetails,
    durationMs: result.durationMs,
    datetimeUtc: result.datetimeUtc,
    resolvedModel: result.resolvedModel,
    data: result.data ?? null,
    reasoning: result.reasoning ?? null,
    costUsd: costWith(result.spend),
  };
}

/**
 * What a succeeded row holds of its answer, the same whichever path stored it (a worker's
 * attempt, a provider batch's import): the answer, its usage and cost, no error, ended now.
 */
export function answeredColumns(result: PromptResult) {
  return {
    status: 'succeeded' as const,
    ...answerColumns(result),
    errorKind: null,
    error: null,
    completedAt: sql`now()`,
  };
}
