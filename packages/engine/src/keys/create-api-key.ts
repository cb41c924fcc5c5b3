import { newId } from '@llmq/core';
import { type ApiKeyRow, createApiKey as insertApiKey } from '@llmq/db';
import type { PromptServices } from '../services/prompt-services.ts';

/**
 * Record a new owner key. Each owner key is an owner of its own (its id is its owner): what it
 * makes, only it sees. The caller hashes the key; the key itself is never stored.
 */
export async function createApiKey(
  services: Pick<PromptServices, 'db'>,
  key: { readonly name: string; readonly keyHash: string },
): Promise<ApiKeyRow> {
  const id = newId();
  return insertApiKey(services.db, { id, name: key.name, keyHash: key.keyHash, owner: id });
}
