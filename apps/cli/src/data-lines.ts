/**
 * The data of answers as JSON lines, ready for jq: one line per answer that has data, or, for a
 * multi schema, one line per item of its `items` (as llm's `logs --data` with a multi schema).
 */
export function* dataLines(
  answers: Iterable<{ readonly text?: string | null; readonly data?: unknown }>,
  multi: boolean,
): Generator<string> {
  for (const answer of answers) {
    const data = answer.data;
    if (data === null || data === undefined) continue;
    const items = (data as { items?: unknown }).items;
    if (multi && Array.isArray(items)) {
      for (const item of items) yield `${JSON.stringify(item)}\n`;
    } else {
      yield `${JSON.stringify(data)}\n`;
    }
  }
}
