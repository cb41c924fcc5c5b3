import type { CreateApiKeyBody } from '@llmq/contracts';
import { newId } from '@llmq/core';
import { type ApiKeyRow, createApiKey as insertApiKey } from '@llmq/db';
import type { PromptServices } from '../services/prompt-services.ts';
import { keySettingsOf } from './key-settings.ts';
import { limitsChanged } from './limits-changed.ts';

/**
 * Record a new owner key. Without an owner, the key is an owner of its own (its id is its
 * owner): what it makes, only it sees; keys given one owner see each other's work and share
 * the owner's limits. The caller hashes the key; the key itself is never stored.
 */
export async function createApiKey(
  services: Pick<PromptServices, 'db' | 'models' | 'webhookUrls' | 'subjectLimits' | 'queue'>,
  key: { readonly keyHash: string; readonly body: CreateApiKeyBody; readonly now?: Date },
): Promise<ApiKeyRow> {
  const id = newId();
  const { name, owner, ...settings } = key.body;
  const row = await insertApiKey(services.db, {
    id,
    name,
    keyHash: key.keyHash,
    owner: owner ?? id,
    ...(await keySettingsOf(settings, services, key.now ?? new Date())),
  });
  // Its limits bind its first request in this process, not two seconds later.
  await limitsChanged(services, `key:${id}`, undefined, row);
  return row;
}
