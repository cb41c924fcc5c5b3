/**
 * Bytes cut into pieces at the given points (each taken modulo the length, duplicates and empty
 * pieces dropped): how a fuzz test sends one body as the many reads a socket may deliver.
 */
export function splitBytes(bytes: Buffer, cuts: readonly number[]): Buffer[] {
  const points = [...new Set(cuts.map((cut) => cut % (bytes.length + 1)))].sort((a, b) => a - b);
  const pieces: Buffer[] = [];
  let start = 0;
  for (const point of [...points, bytes.length]) {
    if (point > start) pieces.push(bytes.subarray(start, point));
    start = Math.max(start, point);
  }
  return pieces;
}
