import { createHmac } from 'node:crypto';
import { type Database, sharedServerSecret } from '@llmq/db';
import { WebhookSigner } from './webhook-signer.ts';

export interface WebhookSecretSources {
  /** LLMQ_WEBHOOK_SECRET (`whsec_…`), checked by the environment's schema. */
  readonly configured: string | undefined;
  /** LLMQ_SECRET_KEY's bytes, or laptop mode's kept in the data folder. */
  readonly serverSecret: Buffer | undefined;
  readonly db: Database;
}

/** The `server_secrets` row of the generated signing key. */
export const webhookSecretName = 'webhook-signing-key';

/**
 * The key webhooks are signed with, the same in every process of the fleet: LLMQ_WEBHOOK_SECRET;
 * else derived from the server's secret (which every process has, and laptop mode keeps in its
 * data folder); else one generated once and kept in PostgreSQL (`server_secrets`, the first
 * process's wins), which no restart or Redis flush loses and Redis users cannot read.
 */
export async function resolveWebhookSigner(sources: WebhookSecretSources): Promise<WebhookSigner> {
  if (sources.configured) return WebhookSigner.fromSecret(sources.configured);
  if (sources.serverSecret) {
    // A separate key for a separate purpose: receivers see this one, never the server's.
    return new WebhookSigner(
      createHmac('sha256', sources.serverSecret).update('llmq webhook signing key').digest(),
    );
  }
  return new WebhookSigner(await sharedServerSecret(sources.db, webhookSecretName));
}
