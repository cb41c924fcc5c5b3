import type { Readable } from 'node:stream';
import { type FailureTraits, LlmqError } from '@llmq/core';
import { PayloadTooLargeError } from '@llmq/engine';

export interface JsonlItems {
  readonly items: unknown[];
  /** The file line each item came from (1-based), for error messages. */
  readonly lines: number[];
}

const newline = 0x0a;

export interface JsonlLimits {
  /** The most items (lines that are not blank). */
  readonly maxItems: number;
  /** The longest line, in bytes, and the setting that says so (for the error). */
  readonly maxLineBytes: number;
  readonly lineSetting: string;
}

/**
 * Parse a JSONL file as it streams: one JSON value per line that is not blank, lines ending in
 * LF or CRLF. A line that is not JSON fails with `InvalidJsonlError` naming it; more than
 * `maxItems` items, or a line longer than `maxLineBytes` (a file without newlines would be held
 * whole), with `PayloadTooLargeError` as soon as the bytes arrive. Either way the stream is
 * destroyed (nothing more is read from it).
 */
export async function readJsonlItems(stream: Readable, limits: JsonlLimits): Promise<JsonlItems> {
  const { maxItems, maxLineBytes } = limits;
  const items: unknown[] = [];
  const lines: number[] = [];
  let lineNumber = 0;
  const take = (bytes: Uint8Array) => {
    lineNumber++;
    let text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    // Windows editors start UTF-8 files with a byte order mark, which is no part of the JSON.
    if (lineNumber === 1 && text.startsWith('\uFEFF')) text = text.slice(1);
    if (text.trim() === '') return;
    if (items.length === maxItems) {
      throw new PayloadTooLargeError(
        `A batch may hold at most ${maxItems} items (LLMQ_MAX_BATCH_ITEMS); the file has more: split it`,
      );
    }
    try {
      items.push(JSON.parse(text));
    } catch (error) {
      throw new InvalidJsonlError(lineNumber, error);
    }
    lines.push(lineNumber);
  };
  // A line may arrive in many chunks: its pieces wait here until its newline does.
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const tooLong = () =>
    new PayloadTooLargeError(
      `line ${lineNumber + 1} is longer than ${maxLineBytes} bytes (${limits.lineSetting}): put one item on each line, and large files in attachments`,
    );
  for await (const chunk of stream) {
    const bytes: Buffer = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    let start = 0;
    for (let end = bytes.indexOf(newline); end !== -1; end = bytes.indexOf(newline, start)) {
      const piece = bytes.subarray(start, end);
      if (pendingBytes + piece.length > maxLineBytes) throw tooLong();
      take(pending.length === 0 ? piece : Buffer.concat([...pending, piece]));
      pending = [];
      pendingBytes = 0;
      start = end + 1;
    }
    if (start < bytes.length) {
      pending.push(bytes.subarray(start));
      pendingBytes += bytes.length - start;
      if (pendingBytes > maxLineBytes) throw tooLong();
    }
  }
  if (pending.length > 0) take(Buffer.concat(pending));
  return { items, lines };
}

/** A line of a JSONL file that is not one JSON value. */
export class InvalidJsonlError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'invalid-jsonl',
    blame: 'request',
    retryable: false,
    edge: 'http',
  };
  override readonly name = 'InvalidJsonlError';
  /** 1-based, counting blank lines too, as an editor does. */
  readonly line: number;

  constructor(line: number, cause: unknown) {
    super(
      `line ${line}: not valid JSON (${cause instanceof Error ? cause.message : String(cause)}); each line must be one item such as {"custom_id":"a","prompt":"…"}`,
      { cause },
    );
    this.line = line;
  }
}
