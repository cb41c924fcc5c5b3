import { monotonicFactory } from 'ulid';

const nextUlid = monotonicFactory();

/** A new lowercase, monotonic ULID, the id format llm gives responses and conversations. */
export function newId(): string {
  return nextUlid().toLowerCase();
}
