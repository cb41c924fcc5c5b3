/** Token usage of one response, as the plugin reported it through `response.setUsage()`. */
export interface Usage {
  readonly input: number | null;
  readonly output: number | null;
  /** The provider's other non-zero usage fields; null when there are none. */
  readonly details: Readonly<Record<string, unknown>> | null;
}

export const noUsage: Usage = { input: null, output: null, details: null };

/**
 * Usage fields worth keeping as details: zeros, nulls and empty objects dropped, recursively,
 * as llm does for OpenAI's `prompt_tokens_details` and `completion_tokens_details`.
 */
export function nonZeroUsageDetails(
  fields: Readonly<Record<string, unknown>>,
): Record<string, unknown> | null {
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (value === null || value === undefined || value === 0 || value === '') continue;
    if (typeof value === 'object' && !Array.isArray(value)) {
      const nested = nonZeroUsageDetails(value as Record<string, unknown>);
      if (nested) kept[key] = nested;
    } else {
      kept[key] = value;
    }
  }
  return Object.keys(kept).length > 0 ? kept : null;
}
