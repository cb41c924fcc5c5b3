/** The last chunk of a chunked HTTP/1.1 body (no trailers). */
const lastChunk = '0\r\n\r\n';

/**
 * A frame sent to many clients (one event-log entry to every follower of a prompt): its
 * chunked-encoding bytes are made on first use and then written as they are to every socket.
 */
export class SharedFrame {
  readonly text: string;
  #chunk: Buffer | undefined;
  #finalChunk: Buffer | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The frame as one HTTP/1.1 chunk: size in hex, CRLF, the bytes, CRLF. */
  get chunk(): Buffer {
    this.#chunk ??= SharedFrame.chunkOf(this.text);
    return this.#chunk;
  }

  /** The frame's chunk followed by the body's last chunk: a stream's last write. */
  get finalChunk(): Buffer {
    this.#finalChunk ??= SharedFrame.finalChunkOf(this.text);
    return this.#finalChunk;
  }

  static chunkOf(text: string): Buffer {
    // A chunk of size zero would end the body.
    if (text === '') return Buffer.alloc(0);
    return Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
  }

  static finalChunkOf(text: string): Buffer {
    if (text === '') return Buffer.from(lastChunk, 'latin1');
    return Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n${lastChunk}`);
  }

  /** The body's last chunk after the chunks of `frames`, in one buffer. */
  static finalChunkOfMany(frames: readonly (string | SharedFrame)[]): Buffer {
    const chunks = frames.map((frame) =>
      frame instanceof SharedFrame ? frame.chunk : SharedFrame.chunkOf(frame),
    );
    chunks.push(Buffer.from(lastChunk, 'latin1'));
    return Buffer.concat(chunks);
  }
}
