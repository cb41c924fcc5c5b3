import { nonZeroUsageDetails, type Usage } from '@llmq/core';

/**
 * Usage as core counts it: `input_tokens` and `output_tokens`, and as details the other counts
 * that are not zero (`cache_creation_input_tokens`, `cache_read_input_tokens`, the cache's
 * split by lifetime, server tool use, thinking tokens); the labels (`service_tier`, …) are not
 * usage. Shared by real-time calls and batch results, so both store the same.
 */
export function anthropicUsage(usage: Readonly<Record<string, unknown>>): Usage {
  const { input_tokens, output_tokens, ...rest } = usage;
  const counts = Object.fromEntries(
    Object.entries(rest).filter(([, value]) => typeof value !== 'string'),
  );
  return {
    input: typeof input_tokens === 'number' ? input_tokens : null,
    output: typeof output_tokens === 'number' ? output_tokens : null,
    details: nonZeroUsageDetails(counts),
  };
}
