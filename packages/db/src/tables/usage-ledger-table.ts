import {
  bigint,
  date,
  doublePrecision,
  index,
  integer,
  pgTable,
  primaryKey,
  text,
} from 'drizzle-orm/pg-core';

/**
 * Spend and tokens per owner, key, model and UTC day, added to in the transaction that writes a
 * response's end: usage totals and budgets read this, never the responses (which retention and
 * DELETE remove, while what they cost stays spent). `''` stands for no owner and no key.
 */
export const usageLedger = pgTable(
  'usage_ledger',
  {
    day: date('day', { mode: 'string' }).notNull(),
    owner: text('owner').notNull().default(''),
    apiKeyId: text('api_key_id').notNull().default(''),
    model: text('model').notNull(),
    requests: integer('requests').notNull().default(0),
    inputTokens: bigint('input_tokens', { mode: 'number' }).notNull().default(0),
    outputTokens: bigint('output_tokens', { mode: 'number' }).notNull().default(0),
    costUsd: doublePrecision('cost_usd').notNull().default(0),
  },
  (table) => [
    primaryKey({ columns: [table.owner, table.day, table.apiKeyId, table.model] }),
    index('usage_ledger_key_day_idx').on(table.apiKeyId, table.day),
  ],
);

export type UsageLedgerRow = typeof usageLedger.$inferSelect;
