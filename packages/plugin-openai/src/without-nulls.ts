/** A JSON value without null or undefined fields, as llm stores provider payloads. */
export function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value && typeof value === 'object') {
    const kept: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(value)) {
      if (field !== null && field !== undefined) kept[key] = withoutNulls(field);
    }
    return kept;
  }
  return value;
}
