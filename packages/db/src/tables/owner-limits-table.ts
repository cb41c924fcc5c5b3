import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp } from 'drizzle-orm/pg-core';
import { limitColumns } from './limit-columns.ts';

/** Limits an admin set for an owner: they bind every key of the owner together. */
export const ownerLimits = pgTable(
  'owner_limits',
  {
    owner: text('owner').primaryKey(),
    ...limitColumns(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    check(
      'owner_limits_budget_period_check',
      sql`${table.budgetPeriod} is null or ${table.budgetPeriod} in ('day', 'week', 'month')`,
    ),
    // A budget without its period would bind nothing: two racing changes must not leave one.
    check(
      'owner_limits_budget_has_period_check',
      sql`${table.budgetUsd} is null or ${table.budgetPeriod} is not null`,
    ),
  ],
);

export type OwnerLimitsRow = typeof ownerLimits.$inferSelect;
