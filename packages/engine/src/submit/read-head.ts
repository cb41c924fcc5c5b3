import type { ReadableStream as WebReadableStream } from 'node:stream/web';

export interface PeekedBody {
  /** The first bytes (at least `length` unless the body is shorter), for sniffing a type. */
  readonly head: Buffer;
  /** Every byte of the body, the head included; read it at most once. */
  readonly bytes: AsyncIterable<Uint8Array>;
  /** Let go of a body that will not be read (the connection is released). */
  cancel(): Promise<void>;
}

/**
 * Read the first bytes of a body without losing them, so its type can be checked before
 * anything is stored, and the whole body still streamed afterwards.
 */
export async function readHead(
  body: WebReadableStream<Uint8Array>,
  length: number,
): Promise<PeekedBody> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let ended = false;
  try {
    while (size < length) {
      const next = await reader.read();
      if (next.done) {
        ended = true;
        break;
      }
      chunks.push(next.value);
      size += next.value.byteLength;
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  }
  const head = Buffer.concat(chunks);
  async function* bytes(): AsyncGenerator<Uint8Array> {
    let finished = ended;
    try {
      if (head.length > 0) yield head;
      while (!finished) {
        const next = await reader.read();
        if (next.done) finished = true;
        else yield next.value;
      }
    } finally {
      // Stopped early (too large, aborted): the rest of the body is not wanted.
      if (!finished) await reader.cancel().catch(() => undefined);
    }
  }
  return {
    head,
    bytes: bytes(),
    cancel: () => reader.cancel().catch(() => undefined),
  };
}
