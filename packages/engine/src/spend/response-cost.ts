import type { ModelPrices } from '@llmq/contracts';
import type { Usage } from '@llmq/core';

/** How an answer was bought: in real time, or through its provider's batch API. */
export type PurchaseMode = 'realtime' | 'provider_batch';

/**
 * The tokens an answer is billed for, split by price. Providers count differently: OpenAI's
 * input includes its cached tokens and its output the reasoning tokens (both as details);
 * Anthropic's input leaves out the tokens read from and written to its cache (both details).
 */
export interface BilledTokens {
  /** Input at the input price (Anthropic's cache writes among it). */
  readonly input: number;
  /** Input served from the provider's prompt cache. */
  readonly cachedInput: number;
  /** Output at the output price. */
  readonly output: number;
  /** Output spent reasoning. */
  readonly reasoning: number;
}

const perMillion = 1_000_000;

/** The tokens of a usage split by price; undefined when the plugin reported no tokens. */
export function billedTokens(usage: Usage): BilledTokens | undefined {
  if (usage.input === null && usage.output === null) return undefined;
  const details = usage.details ?? {};
  const input = usage.input ?? 0;
  const output = usage.output ?? 0;
  // Anthropic: counts beside `input_tokens`, not among them.
  const cacheRead = count(details.cache_read_input_tokens);
  const cacheWrite = count(details.cache_creation_input_tokens);
  // OpenAI (Chat Completions, Responses): counts among the input and the output.
  const cachedAmong = Math.min(
    input,
    count(nested(details, 'prompt_tokens_details', 'cached_tokens')) ||
      count(nested(details, 'input_tokens_details', 'cached_tokens')),
  );
  const reasoning = Math.min(
    output,
    count(nested(details, 'completion_tokens_details', 'reasoning_tokens')) ||
      count(nested(details, 'output_tokens_details', 'reasoning_tokens')),
  );
  return {
    input: input - cachedAmong + cacheWrite,
    cachedInput: cachedAmong + cacheRead,
    output: output - reasoning,
    reasoning,
  };
}

/**
 * What an answer cost in USD at its model's prices (per million tokens), or null when the model
 * has no prices or the plugin reported no tokens. Cached input costs `cached_input` (else
 * `input`), reasoning costs `reasoning` (else `output`). Bought through a provider batch, input
 * and output cost `batch_input` and `batch_output` (else the real-time prices), and the cached
 * and reasoning prices get the same discount as the input and output ones.
 */
export function responseCost(
  prices: ModelPrices | undefined,
  usage: Usage,
  mode: PurchaseMode,
): number | null {
  const tokens = billedTokens(usage);
  if (!prices || !tokens) return null;
  const batch = mode === 'provider_batch';
  const inputPrice = batch ? (prices.batch_input ?? prices.input) : prices.input;
  const outputPrice = batch ? (prices.batch_output ?? prices.output) : prices.output;
  const inputDiscount = discount(prices.input, inputPrice);
  const outputDiscount = discount(prices.output, outputPrice);
  const cachedPrice = (prices.cached_input ?? prices.input) * inputDiscount;
  const reasoningPrice = (prices.reasoning ?? prices.output) * outputDiscount;
  const dollars =
    (tokens.input * inputPrice +
      tokens.cachedInput * cachedPrice +
      tokens.output * outputPrice +
      tokens.reasoning * reasoningPrice) /
    perMillion;
  // To a billionth of a dollar: binary fractions' noise (0.30000000000000004) stays out.
  return Math.round(dollars * 1e9) / 1e9;
}

/** The share of the real-time price a batch price is (1 when the real-time one is 0). */
function discount(realtime: number, paid: number): number {
  return realtime > 0 ? paid / realtime : 1;
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}

function nested(details: Readonly<Record<string, unknown>>, group: string, field: string): unknown {
  const inner = details[group];
  return inner && typeof inner === 'object' ? (inner as Record<string, unknown>)[field] : undefined;
}
