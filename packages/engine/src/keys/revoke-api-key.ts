import { type ApiKeyRow, revokeApiKey as markApiKeyRevoked } from '@llmq/db';
import type { PromptServices } from '../services/prompt-services.ts';

/** Revoke a key; its row (revoked now or before), or undefined when there is no such key. */
export async function revokeApiKey(
  services: Pick<PromptServices, 'db'>,
  id: string,
): Promise<ApiKeyRow | undefined> {
  return markApiKeyRevoked(services.db, id);
}
