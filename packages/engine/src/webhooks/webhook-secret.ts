import { createHmac, randomBytes } from 'node:crypto';
import { type FailureTraits, LlmqError } from '@llmq/core';
import type { Redis } from 'ioredis';
import { WebhookSigner } from './webhook-signer.ts';

export interface WebhookSecretSources {
  /** LLMQ_WEBHOOK_SECRET (`whsec_…`), checked by the environment's schema. */
  readonly configured: string | undefined;
  /** LLMQ_SECRET_KEY's bytes, or laptop mode's kept in the data folder. */
  readonly serverSecret: Buffer | undefined;
  readonly redis: Redis;
  readonly prefix: string;
}

/**
 * The key webhooks are signed with, the same in every process of the fleet: LLMQ_WEBHOOK_SECRET;
 * else derived from the server's secret (which every process has, and laptop mode keeps in its
 * data folder); else one generated once and kept in Redis under the queue prefix, where every
 * process finds it (a Redis that loses its data makes a new one: set LLMQ_WEBHOOK_SECRET or
 * LLMQ_SECRET_KEY in production).
 */
export async function resolveWebhookSigner(sources: WebhookSecretSources): Promise<WebhookSigner> {
  if (sources.configured) return WebhookSigner.fromSecret(sources.configured);
  if (sources.serverSecret) {
    // A separate key for a separate purpose: receivers see this one, never the server's.
    return new WebhookSigner(
      createHmac('sha256', sources.serverSecret).update('llmq webhook signing key').digest(),
    );
  }
  const key = `${sources.prefix}:webhook-secret`;
  await sources.redis.set(key, randomBytes(32).toString('base64'), 'NX');
  const kept = await sources.redis.get(key);
  if (!kept)
    throw new WebhookSecretLostError(
      `The webhook secret kept in Redis at ${key} vanished as it was read`,
    );
  return new WebhookSigner(Buffer.from(kept, 'base64'));
}

/** The secret kept in Redis was removed between its write and its read: start again. */
export class WebhookSecretLostError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'webhook-secret-lost',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'WebhookSecretLostError';
}
