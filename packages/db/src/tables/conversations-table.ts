import { index, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './column-helpers.ts';

export const conversations = pgTable(
  'conversations',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    model: text('model').notNull(),
    owner: text('owner'),
    createdAt: createdAt(),
  },
  (table) => [index('conversations_owner_id_idx').on(table.owner, table.id)],
);
