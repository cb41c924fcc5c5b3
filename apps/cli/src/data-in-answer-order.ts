import { isDeepStrictEqual } from 'node:util';

/**
 * An answer's data with its keys in the order the model wrote them. The server keeps data in
 * PostgreSQL's jsonb, which reorders keys (shortest first); the answer's text has the same
 * value in the model's order, which is the schema's, so that is printed when it is equal.
 */
export function dataInAnswerOrder(answer: {
  readonly text?: string | null;
  readonly data?: unknown;
}): unknown {
  if (answer.data === null || answer.data === undefined || !answer.text) return answer.data;
  try {
    const written: unknown = JSON.parse(answer.text);
    return isDeepStrictEqual(written, answer.data) ? written : answer.data;
  } catch {
    return answer.data;
  }
}
