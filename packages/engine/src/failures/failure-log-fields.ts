import { failureOf } from '@llmq/core';

/**
 * How a failed attempt's error goes into its log line. A typed llmq error is an expected
 * failure whose message says all there is (a missing key, a provider's refusal): its stack trace
 * would only bury that message. Anything else may be a bug, and keeps its stack.
 */
export function failureLogFields(error: unknown): Record<string, unknown> {
  if (failureOf(error) && error instanceof Error) return { error: error.message };
  return { err: error };
}
