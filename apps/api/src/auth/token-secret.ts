import { createHash, randomBytes } from 'node:crypto';

/**
 * The key that signs stream tokens: LLMQ_STREAM_TOKEN_SECRET, else derived from the admin keys
 * (so every api process with the same configuration agrees), else random for this process.
 */
export function streamTokenSecret(
  configured: string | undefined,
  adminKeys: readonly string[],
): Buffer {
  if (configured) return createHash('sha256').update(configured).digest();
  if (adminKeys.length > 0) {
    return createHash('sha256')
      .update(`llmq-stream-token\u0000${[...adminKeys].sort().join('\u0000')}`)
      .digest();
  }
  return randomBytes(32);
}
