import { json, pgTable, text } from 'drizzle-orm/pg-core';
import { createdAt } from './column-helpers.ts';

/** Schemas prompts asked their answers to match, stored once by content (llm's `schemas`). */
export const schemas = pgTable('schemas', {
  /** sha256 hex of the schema's compact JSON, keys in their order (`schemaIdOf`). */
  id: text('id').primaryKey(),
  // json, not jsonb: jsonb reorders keys, and a schema's property order is what models follow.
  content: json('content').$type<Record<string, unknown>>().notNull(),
  createdAt: createdAt(),
});
