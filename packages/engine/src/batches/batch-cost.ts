import type { ModelPrices } from '@llmq/contracts';
import { type BatchRow, batchTokenTotals, type Database } from '@llmq/db';

/** What a batch's answered items cost, and what they would have cost in real time (USD). */
export interface BatchCost {
  readonly currency: 'USD';
  readonly actual: number;
  readonly at_realtime_prices: number;
  readonly saved: number;
}

const perMillion = (tokens: number, price: number) => (tokens * price) / 1_000_000;
const rounded = (dollars: number) => Math.round(dollars * 1_000_000) / 1_000_000;

/**
 * The cost of a batch's answered items at its model's prices (LLMQ_MODEL_PRICES): items the
 * provider's batch API answered at its batch prices (the real-time ones where it has none),
 * the rest at real-time prices; null when the model has no prices.
 */
export async function batchCost(
  db: Database,
  batch: BatchRow,
  prices: ReadonlyMap<string, ModelPrices>,
): Promise<BatchCost | null> {
  const price = prices.get(batch.model);
  if (!price) return null;
  const totals = await batchTokenTotals(db, batch.id);
  const input = totals.provider.input + totals.realtime.input;
  const output = totals.provider.output + totals.realtime.output;
  const atRealtime = perMillion(input, price.input) + perMillion(output, price.output);
  const actual =
    perMillion(totals.provider.input, price.batch_input ?? price.input) +
    perMillion(totals.provider.output, price.batch_output ?? price.output) +
    perMillion(totals.realtime.input, price.input) +
    perMillion(totals.realtime.output, price.output);
  return {
    currency: 'USD',
    actual: rounded(actual),
    at_realtime_prices: rounded(atRealtime),
    saved: rounded(atRealtime - actual),
  };
}
