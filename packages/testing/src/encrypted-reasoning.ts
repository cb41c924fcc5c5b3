/** How the local server's "encrypted" reasoning begins, like OpenAI's (a Fernet token's `gAAAAA`). */
const prefix = 'gAAAAA';

/**
 * The `encrypted_content` the local server gives a reasoning item: opaque to a client, but the
 * server can tell its own (the item's id and reasoning inside, base64url), so a test sees the
 * plugin send back exactly what it was given, and a changed or foreign one is refused as OpenAI
 * refuses content it cannot decrypt.
 */
export function encryptReasoning(id: string, reasoning: string): string {
  return prefix + Buffer.from(JSON.stringify({ id, reasoning })).toString('base64url');
}

/** The reasoning inside content the server issued for this item id, else undefined. */
export function decryptReasoning(id: unknown, content: unknown): string | undefined {
  if (typeof content !== 'string' || !content.startsWith(prefix)) return undefined;
  try {
    const inside = JSON.parse(Buffer.from(content.slice(prefix.length), 'base64url').toString());
    return inside?.id === id && typeof inside.reasoning === 'string' ? inside.reasoning : undefined;
  } catch {
    return undefined;
  }
}
