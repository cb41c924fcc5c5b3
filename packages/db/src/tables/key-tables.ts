import { sql } from 'drizzle-orm';
import { check, index, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { createdAt } from './column-helpers.ts';
import { limitColumns } from './limit-columns.ts';

export const apiKeys = pgTable(
  'api_keys',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    /** sha256 hex of the key; the key itself is never stored. */
    keyHash: text('key_hash').notNull().unique(),
    owner: text('owner').notNull(),
    createdAt: createdAt(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    /** The models (ids) the key may use; null for every model. */
    allowedModels: text('allowed_models').array(),
    /** When the key stops opening the api; null never. */
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    /** Where events of the key's prompts and batches go when they name no webhook. */
    webhookUrl: text('webhook_url'),
    ...limitColumns(),
  },
  (table) => [
    index('api_keys_owner_idx').on(table.owner),
    check(
      'api_keys_budget_period_check',
      sql`${table.budgetPeriod} is null or ${table.budgetPeriod} in ('day', 'week', 'month')`,
    ),
    // A budget without its period would bind nothing: two racing changes must not leave one.
    check(
      'api_keys_budget_has_period_check',
      sql`${table.budgetUsd} is null or ${table.budgetPeriod} is not null`,
    ),
  ],
);

/**
 * Provider keys an admin stored (like `llm keys set`), by name (`openai`): encrypted with the
 * server's secret (AES-256-GCM), never stored or returned in plain text.
 */
export const providerKeys = pgTable('provider_keys', {
  name: text('name').primaryKey(),
  /** `v1.<iv>.<tag>.<ciphertext>`, base64url, authenticated with the name (engine's secret box). */
  encrypted: text('encrypted').notNull(),
  /** The key's last four characters, so an admin can tell which key is stored. */
  lastFour: text('last_four').notNull(),
  /** Who stored it: the admin owner, or none without keys (laptop mode). */
  setBy: text('set_by'),
  setAt: timestamp('set_at', { withTimezone: true }).notNull().defaultNow(),
});
