import { BlobRangeError } from './blob-errors.ts';
import type { ByteRange } from './blob-store.ts';

/** A range clamped to the blob (an open or overlong end reads to the last byte), or an error. */
export function checkedRange(size: number, range?: ByteRange): { start: number; end: number } {
  if (!range) return { start: 0, end: size - 1 };
  const end = Math.min(range.end ?? size - 1, size - 1);
  if (
    !Number.isInteger(range.start) ||
    range.start < 0 ||
    range.start >= size ||
    end < range.start
  ) {
    throw new BlobRangeError(size);
  }
  return { start: range.start, end };
}
