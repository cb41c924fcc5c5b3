/** Whether two JSON values are equal, whatever the order of their objects' keys. */
function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left !== 'object' || typeof right !== 'object' || left === null || right === null) {
    return false;
  }
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  const leftKeys = Object.keys(left);
  if (leftKeys.length !== Object.keys(right).length) return false;
  return leftKeys.every(
    (key) =>
      Object.hasOwn(right, key) &&
      sameJson((left as Record<string, unknown>)[key], (right as Record<string, unknown>)[key]),
  );
}

/**
 * An answer's data with its keys in the order the model wrote them (the schema's). The server
 * keeps data in PostgreSQL's jsonb, which reorders keys (shortest first); the answer's text has
 * the same value in the model's order, so it is used when it is equal.
 */
export function dataInAnswerOrder(answer: {
  readonly text?: string | null;
  readonly data?: unknown;
}): unknown {
  if (answer.data === null || answer.data === undefined || !answer.text) return answer.data;
  try {
    const written: unknown = JSON.parse(answer.text);
    return sameJson(written, answer.data) ? written : answer.data;
  } catch {
    return answer.data;
  }
}
