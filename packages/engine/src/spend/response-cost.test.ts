import type { ModelPrices } from '@llmq/contracts';
import type { Usage } from '@llmq/core';
import { describe, expect, it } from 'vitest';
import { billedTokens, responseCost } from './response-cost.ts';
import { responseSpendOf } from './response-spend-of.ts';

const usage = (
  input: number | null,
  output: number | null,
  details: Record<string, unknown> | null = null,
): Usage => ({ input, output, details });

const plain: ModelPrices = { input: 2, output: 8 };
const full: ModelPrices = {
  input: 2,
  output: 8,
  cached_input: 0.5,
  reasoning: 10,
  batch_input: 1,
  batch_output: 4,
};

describe('responseCost', () => {
  it('prices input and output per million tokens', () => {
    expect(responseCost(plain, usage(1_000_000, 500_000), 'realtime')).toBe(6);
    expect(responseCost(plain, usage(1_200, 300), 'realtime')).toBe(0.0048);
  });

  it('is null for a model without prices, and for an answer without tokens', () => {
    expect(responseCost(undefined, usage(10, 10), 'realtime')).toBeNull();
    expect(responseCost(plain, usage(null, null), 'realtime')).toBeNull();
  });

  it('counts a missing side as no tokens when the other is known', () => {
    expect(responseCost(plain, usage(1_000_000, null), 'realtime')).toBe(2);
  });

  it("prices OpenAI's cached tokens (among the input) at cached_input, reasoning (among the output) at reasoning", () => {
    const chat = usage(1_000_000, 1_000_000, {
      prompt_tokens_details: { cached_tokens: 400_000 },
      completion_tokens_details: { reasoning_tokens: 250_000 },
    });
    // 600k × 2 + 400k × 0.5 + 750k × 8 + 250k × 10, per million.
    expect(responseCost(full, chat, 'realtime')).toBe(9.9);
    const responsesApi = usage(1_000_000, 1_000_000, {
      input_tokens_details: { cached_tokens: 400_000 },
      output_tokens_details: { reasoning_tokens: 250_000 },
    });
    expect(responseCost(full, responsesApi, 'realtime')).toBe(9.9);
  });

  it('prices cached and reasoning tokens at input and output when the model has no price for them', () => {
    const chat = usage(1_000_000, 1_000_000, {
      prompt_tokens_details: { cached_tokens: 400_000 },
      completion_tokens_details: { reasoning_tokens: 250_000 },
    });
    expect(responseCost(plain, chat, 'realtime')).toBe(10);
  });

  it("adds Anthropic's cache reads (at cached_input) and writes (at input) to its input", () => {
    const anthropic = usage(100_000, 0, {
      cache_read_input_tokens: 1_000_000,
      cache_creation_input_tokens: 500_000,
    });
    // (100k + 500k) × 2 + 1M × 0.5, per million.
    expect(responseCost(full, anthropic, 'realtime')).toBe(1.7);
    expect(billedTokens(anthropic)).toEqual({
      input: 600_000,
      cachedInput: 1_000_000,
      output: 0,
      reasoning: 0,
    });
  });

  it('uses batch prices for a provider batch, with the same discount on cached and reasoning tokens', () => {
    const chat = usage(1_000_000, 1_000_000, {
      prompt_tokens_details: { cached_tokens: 400_000 },
      completion_tokens_details: { reasoning_tokens: 250_000 },
    });
    // Half price everywhere: 600k × 1 + 400k × 0.25 + 750k × 4 + 250k × 5, per million.
    expect(responseCost(full, chat, 'provider_batch')).toBe(4.95);
    // Without batch prices, a provider batch costs the real-time prices.
    expect(responseCost(plain, usage(1_000_000, 0), 'provider_batch')).toBe(2);
  });

  it('never counts more cached or reasoning tokens than the input and output hold', () => {
    const odd = usage(10, 10, {
      prompt_tokens_details: { cached_tokens: 50 },
      completion_tokens_details: { reasoning_tokens: 50 },
    });
    expect(billedTokens(odd)).toEqual({ input: 0, cachedInput: 10, output: 0, reasoning: 10 });
  });

  it('ignores details that are not counts', () => {
    const odd = usage(1_000_000, 0, {
      prompt_tokens_details: 'cached',
      cache_read_input_tokens: -5,
      service_tier: 'standard',
    });
    expect(responseCost(plain, odd, 'realtime')).toBe(2);
  });
});

describe('responseSpendOf', () => {
  const prices = new Map([['gpt-x', full]]);

  it('prices at the answering model and counts the billed tokens', () => {
    const anthropic = usage(100, 20, { cache_read_input_tokens: 1_000 });
    expect(responseSpendOf(prices, 'gpt-x', anthropic, 'realtime')).toEqual({
      model: 'gpt-x',
      costUsd: (100 * 2 + 1_000 * 0.5 + 20 * 8) / 1_000_000,
      inputTokens: 1_100,
      outputTokens: 20,
    });
  });

  it('gives a null cost, and still the tokens, for an unpriced model', () => {
    expect(responseSpendOf(prices, 'echo', usage(3, 4), 'realtime')).toEqual({
      model: 'echo',
      costUsd: null,
      inputTokens: 3,
      outputTokens: 4,
    });
    expect(responseSpendOf(undefined, 'echo', usage(null, null), 'realtime')).toEqual({
      model: 'echo',
      costUsd: null,
      inputTokens: 0,
      outputTokens: 0,
    });
  });
});
