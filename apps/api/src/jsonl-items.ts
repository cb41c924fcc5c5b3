import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { PayloadTooLargeError } from '@llmq/engine';
import { ProblemError } from './problems.ts';

export interface JsonlItems {
  readonly items: unknown[];
  /** The file line each item came from (1-based), for error messages. */
  readonly lines: number[];
}

/**
 * Parse a JSONL file as it streams: one JSON value per non-empty line. A line that is not JSON
 * answers 422 naming it; more than `maxItems` items answers 413.
 */
export async function readJsonlItems(stream: Readable, maxItems: number): Promise<JsonlItems> {
  const items: unknown[] = [];
  const lines: number[] = [];
  let lineNumber = 0;
  for await (const line of createInterface({
    input: stream,
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    lineNumber++;
    if (line.trim() === '') continue;
    if (items.length === maxItems) {
      stream.resume();
      throw new PayloadTooLargeError(
        `A batch may hold at most ${maxItems} items (LLMQ_MAX_BATCH_ITEMS); the file has more: split it`,
      );
    }
    try {
      items.push(JSON.parse(line));
    } catch (error) {
      stream.resume();
      throw new ProblemError(
        422,
        'invalid-jsonl',
        'Invalid JSONL',
        `line ${lineNumber}: not valid JSON (${error instanceof Error ? error.message : String(error)}); each line must be one item such as {"custom_id":"a","prompt":"…"}`,
        [{ path: `line ${lineNumber}`, message: 'not valid JSON' }],
      );
    }
    lines.push(lineNumber);
  }
  return { items, lines };
}
