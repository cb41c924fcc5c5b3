import { createHash } from 'node:crypto';

/**
 * The signature the local Anthropic-compatible server gives a thinking block: derived from its
 * text, so a block sent back with another text, or without its signature, is refused, as
 * Anthropic refuses thinking it did not issue.
 */
export function signThinking(thinking: string): string {
  return `sig-${createHash('sha256').update(`llmq-local-thinking:${thinking}`).digest('base64')}`;
}
