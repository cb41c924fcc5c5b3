import type { SQL } from 'drizzle-orm';
import { sql } from 'drizzle-orm';
import { type AnyPgColumn, customType, timestamp } from 'drizzle-orm/pg-core';

/**
 * `column in ('a', 'b', …)` over a list of statuses, as SQL text: the check constraint is then
 * the contracts' own list, and its migration SQL stays what it was when the list was written
 * out here (the words are fixed identifiers, never input, so inlining them is safe).
 */
export function isOneOf(column: AnyPgColumn, values: readonly string[]): SQL {
  return sql`${column} in (${sql.raw(values.map((value) => `'${value}'`).join(', '))})`;
}

export const tsvector = customType<{ data: string }>({
  dataType() {
    return 'tsvector';
  },
});

export const createdAt = () =>
  timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
