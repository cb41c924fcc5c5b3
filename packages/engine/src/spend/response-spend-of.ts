import type { ModelPrices } from '@llmq/contracts';
import type { Usage } from '@llmq/core';
import type { ResponseSpend } from '@llmq/db';
import { billedTokens, type PurchaseMode, responseCost } from './response-cost.ts';

/**
 * An answer's spend as its end write stores it (the row's cost, the ledger's entry): priced at
 * the model that answered (a fallback's own prices), by its llmq id.
 */
export function responseSpendOf(
  prices: ReadonlyMap<string, ModelPrices> | undefined,
  model: string,
  usage: Usage,
  mode: PurchaseMode,
): ResponseSpend {
  const tokens = billedTokens(usage);
  return {
    model,
    costUsd: responseCost(prices?.get(model), usage, mode),
    inputTokens: tokens ? tokens.input + tokens.cachedInput : 0,
    outputTokens: tokens ? tokens.output + tokens.reasoning : 0,
  };
}
