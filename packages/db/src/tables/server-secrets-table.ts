import { pgTable, text, timestamp } from 'drizzle-orm/pg-core';

/**
 * Secrets the fleet generates once and shares (the webhook signing key when none is
 * configured): kept in PostgreSQL, the one store every process trusts and none loses on a
 * restart, where the first writer wins (`on conflict do nothing`) and everyone reads the same.
 */
export const serverSecrets = pgTable('server_secrets', {
  name: text('name').primaryKey(),
  /** base64 of the secret's bytes. */
  value: text('value').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export type ServerSecretRow = typeof serverSecrets.$inferSelect;
