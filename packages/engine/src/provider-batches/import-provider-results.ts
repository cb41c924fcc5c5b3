import type { ProviderBatchResult, ProviderBatchStatus } from '@llmq/core';
import {
  endProviderItem,
  getPrompt,
  importProviderAnswer,
  type ProviderBatchRow,
  queuedProviderBatchItems,
  type ResponseRow,
} from '@llmq/db';
import type { Logger } from 'pino';
import { matchSchema } from '../schemas/match-schema.ts';
import { responseSpendOf } from '../spend/response-spend-of.ts';
import type { ProviderBatchAccess } from './provider-batch-api-of.ts';
import type { ProviderBatchDependencies } from './provider-batch-dependencies.ts';
import { recordProviderItem } from './record-provider-item.ts';

/** The error kinds of items a provider batch did not answer, by how they ended. */
export const providerBatchErrorKinds = {
  failed: 'ProviderBatchRequestFailed',
  expired: 'ProviderBatchExpired',
  cancelled: 'Cancelled',
  unanswered: 'ProviderBatchNoResult',
} as const;

/**
 * Write an ended provider batch's results into its items, each through a fenced update (only a
 * queued item this provider batch still answers), then end the items it gave no result for as
 * its status says. Safe to run again on the same results: an item written once is skipped, and
 * its log is closed from its row when an earlier import died before appending (see
 * recordProviderItem).
 */
export async function importProviderResults(
  deps: ProviderBatchDependencies,
  row: ProviderBatchRow,
  access: ProviderBatchAccess,
  status: ProviderBatchStatus,
  log: Logger,
): Promise<{ readonly imported: number; readonly unanswered: number }> {
  const providerId = row.providerBatchId as string;
  let imported = 0;
  for await (const result of access.api.results(providerId, { key: access.key })) {
    const written = await importOne(deps, row, result);
    if (written) {
      imported++;
      await recordProviderItem(deps, written, log);
      continue;
    }
    // Not written now: imported before (a killed poller), or no longer the provider's.
    const current = await getPrompt(deps.db, result.customId);
    if (current?.providerBatchId === row.id && current.status !== 'queued') {
      await recordProviderItem(deps, current, log);
    }
  }
  let unanswered = 0;
  const how = status.unanswered ?? (status.error ? 'failed' : undefined);
  for (;;) {
    const page = await queuedProviderBatchItems(deps.db, row.id, -1, 500);
    if (page.length === 0) break;
    for (const item of page) {
      const reason =
        status.error ??
        (how === 'expired'
          ? `The ${access.api.provider} batch ${providerId} expired before this request ran`
          : how === 'cancelled'
            ? `The ${access.api.provider} batch ${providerId} was cancelled before this request ran`
            : `The ${access.api.provider} batch ${providerId} ended without a result for this request`);
      const ended = await endProviderItem(deps.db, item.id, row.id, {
        status: how === 'cancelled' ? 'cancelled' : 'failed',
        errorKind:
          how === 'expired'
            ? providerBatchErrorKinds.expired
            : how === 'cancelled'
              ? providerBatchErrorKinds.cancelled
              : how === 'failed'
                ? providerBatchErrorKinds.failed
                : providerBatchErrorKinds.unanswered,
        error: reason,
      });
      if (ended) {
        unanswered++;
        await recordProviderItem(deps, ended, log);
      }
    }
  }
  return { imported, unanswered };
}

async function importOne(
  deps: ProviderBatchDependencies,
  row: ProviderBatchRow,
  result: ProviderBatchResult,
): Promise<ResponseRow | undefined> {
  if (result.type !== 'succeeded') {
    return endProviderItem(deps.db, result.customId, row.id, {
      status: result.type === 'cancelled' ? 'cancelled' : 'failed',
      errorKind: providerBatchErrorKinds[result.type],
      error: result.error,
    });
  }
  const { answer } = result;
  const item = await getPrompt(deps.db, result.customId);
  if (!item || item.providerBatchId !== row.id || item.status !== 'queued') return undefined;
  // The provider batch runs the item's own model (no fallback), at its batch prices.
  const spend = responseSpendOf(deps.prices, item.model, answer.usage, 'provider_batch');
  let data: unknown = null;
  if (item.schemaId) {
    const schema = await deps.schemas.get(item.schemaId);
    try {
      // No retry here: the provider answered once; `retry` runs the item again in real time.
      data = matchSchema(answer.text, schema.validate, { retryable: false });
    } catch (error) {
      // The refused answer cost what the provider charged for it all the same.
      return endProviderItem(deps.db, item.id, row.id, {
        status: 'failed',
        errorKind: error instanceof Error ? error.name : 'SchemaMismatchError',
        error: error instanceof Error ? error.message : String(error),
        spend,
      });
    }
  }
  return importProviderAnswer(deps.db, item.id, row.id, {
    response: answer.text,
    responseJson: answer.json,
    promptJson: null,
    inputTokens: answer.usage.input,
    outputTokens: answer.usage.output,
    tokenDetails: (answer.usage.details as Record<string, unknown> | null) ?? null,
    // The provider ran it at a time of its own, unknown here.
    durationMs: 0,
    datetimeUtc: new Date(),
    resolvedModel: answer.resolvedModel ?? null,
    data,
    reasoning: answer.reasoning || null,
    toolCalls: answer.toolCalls.length > 0 ? answer.toolCalls : null,
    spend,
  });
}
