import { createHash, type Hash } from 'node:crypto';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { sniffLength } from '@llmq/core';
import { BlobEmptyError, BlobTooLargeError } from './blob-errors.ts';
import type { BlobSource } from './blob-store.ts';

/**
 * A pass-through that hashes (sha256) and counts the bytes on their way to storage, keeps the
 * first few KiB for type sniffing, and fails the stream as soon as it passes `maxBytes`, so
 * nothing over the limit is ever written in full. With `refuseEmpty` it fails a stream that
 * ends without a byte, before the store can commit it.
 */
export class BlobMeter extends Transform {
  readonly #hash: Hash = createHash('sha256');
  readonly #maxBytes: number;
  readonly #refuseEmpty: boolean;
  readonly #head: Buffer[] = [];
  #headLength = 0;
  #size = 0;
  #digest: string | undefined;

  constructor(maxBytes = Number.POSITIVE_INFINITY, refuseEmpty = false) {
    super();
    this.#maxBytes = maxBytes;
    this.#refuseEmpty = refuseEmpty;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#size += chunk.length;
    if (this.#size > this.#maxBytes) {
      callback(new BlobTooLargeError(this.#maxBytes));
      return;
    }
    this.#hash.update(chunk);
    if (this.#headLength < sniffLength) {
      const piece = chunk.subarray(0, sniffLength - this.#headLength);
      this.#head.push(Buffer.from(piece));
      this.#headLength += piece.length;
    }
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback): void {
    if (this.#refuseEmpty && this.#size === 0) {
      callback(new BlobEmptyError());
      return;
    }
    this.#digest = this.#hash.digest('hex');
    callback();
  }

  // Not `size`: lib-storage reads a body's `size` as its total length before streaming.
  get byteCount(): number {
    return this.#size;
  }

  /** The sha256 hex of every byte, once the stream has ended. */
  get digest(): string {
    if (this.#digest === undefined) throw new Error('the blob has not been read to its end yet');
    return this.#digest;
  }

  /** The first bytes, enough for every signature the sniffer knows. */
  get head(): Uint8Array {
    return Buffer.concat(this.#head);
  }
}

/** The source piped into a new meter, with the source's errors passed on to it. */
export function meterOf(
  source: BlobSource,
  maxBytes: number | undefined,
  refuseEmpty = false,
): BlobMeter {
  const readable = source instanceof Readable ? source : Readable.from(source);
  const meter = new BlobMeter(maxBytes, refuseEmpty);
  readable.once('error', (error) => meter.destroy(error));
  // A source destroyed before it got here has said its last: the meter fails now, or the
  // store would wait for bytes that never come.
  if (readable.destroyed && !readable.readableEnded) {
    meter.destroy(readable.errored ?? new Error('The upload ended before its last byte'));
    return meter;
  }
  // The meter may fail (too large) before its consumer is attached; the consumer still sees the
  // error (an errored stream reports it), but until then it must not be an uncaught one.
  meter.on('error', () => undefined);
  meter.once('close', () => {
    if (!readable.readableEnded) readable.destroy();
  });
  return readable.pipe(meter);
}
