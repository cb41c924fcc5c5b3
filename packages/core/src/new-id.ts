import { monotonicFactory } from 'ulid';

/**
 * Random fractions for ULIDs from a pool of cryptographic random words: ulid's own source asks
 * the platform for one byte per character, sixteen calls for each new millisecond's id.
 */
const randomWords = new Uint32Array(256);
let nextWord = randomWords.length;

function randomFraction(): number {
  if (nextWord === randomWords.length) {
    globalThis.crypto.getRandomValues(randomWords);
    nextWord = 0;
  }
  return (randomWords[nextWord++] as number) / 2 ** 32;
}

const nextUlid = monotonicFactory(randomFraction);

/** A new lowercase, monotonic ULID, the id format llm gives responses and conversations. */
export function newId(): string {
  return nextUlid().toLowerCase();
}
