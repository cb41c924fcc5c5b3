/**
 * A frame sent to many clients (one event-log entry to every follower of a prompt): its
 * chunked-encoding bytes are made on first use and then written as they are to every socket.
 */
export class SharedFrame {
  readonly text: string;
  #chunk: Buffer | undefined;

  constructor(text: string) {
    this.text = text;
  }

  /** The frame as one HTTP/1.1 chunk: size in hex, CRLF, the bytes, CRLF. */
  get chunk(): Buffer {
    this.#chunk ??= SharedFrame.chunkOf(this.text);
    return this.#chunk;
  }

  static chunkOf(text: string): Buffer {
    // A chunk of size zero would end the body.
    if (text === '') return Buffer.alloc(0);
    return Buffer.from(`${Buffer.byteLength(text).toString(16)}\r\n${text}\r\n`);
  }
}
