import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';

/** More chunks than any consumer here holds at once (lib-storage keeps about two parts' worth). */
const ringLength = 512;

/**
 * `total` bytes in 64 KiB chunks, each stamped with a counter so no two are equal. The chunks
 * come from a ring of buffers allocated up front, so producing the bytes adds no garbage of
 * its own: what the measured side allocates is what shows in its memory.
 */
export function generatedStream(total: number, chunkSize = 64 * 1024): Readable {
  const ring = Array.from({ length: ringLength }, () => randomBytes(chunkSize));
  let sent = 0;
  let counter = 0;
  return new Readable({
    highWaterMark: chunkSize,
    read() {
      if (sent >= total) {
        this.push(null);
        return;
      }
      const size = Math.min(chunkSize, total - sent);
      const chunk = (ring[counter % ringLength] as Buffer).subarray(0, size);
      chunk.writeUInt32BE(counter++, 0);
      sent += size;
      this.push(chunk);
    },
  });
}
