import { z } from 'zod';

/** How long a budget lasts before its spend starts again from zero (UTC calendar periods). */
export const budgetPeriods = ['day', 'week', 'month'] as const;
export type BudgetPeriod = (typeof budgetPeriods)[number];

/**
 * What one key or one owner may use, across the whole fleet. Every field is optional: an
 * absent field is no limit. A budget needs its period.
 */
export const subjectLimitsSchema = z
  .strictObject({
    /** USD this key or owner may spend per `budget_period`. */
    budget_usd: z.number().min(0).max(1_000_000_000).nullable().optional(),
    budget_period: z.enum(budgetPeriods).nullable().optional(),
    requests_per_minute: z.int().min(1).max(1_000_000).nullable().optional(),
    tokens_per_minute: z.int().min(1).max(1_000_000_000).nullable().optional(),
    /** Prompts queued or running at once. */
    max_concurrent: z.int().min(1).max(100_000).nullable().optional(),
  })
  .refine(
    (limits) => (limits.budget_usd ?? null) === null || (limits.budget_period ?? null) !== null,
    {
      message: 'a budget needs its period: give budget_period (day, week or month)',
      path: ['budget_period'],
    },
  )
  .meta({ id: 'Limits' });
export type SubjectLimits = z.output<typeof subjectLimitsSchema>;
