import { z } from 'zod';
import { withoutNul } from './no-nul.ts';

/** What usage can be grouped by. */
export const usageDimensions = ['day', 'model', 'key', 'owner'] as const;
export type UsageDimensionName = (typeof usageDimensions)[number];

const groupByRule = `a comma list of ${usageDimensions.join(', ')}`;
const dimensionList = new RegExp(
  `^(${usageDimensions.join('|')})(,(${usageDimensions.join('|')}))*$`,
);

/** The days a report can cover: PostgreSQL has no year 0, and four digits end at 9999. */
export const firstUsageDay = '0001-01-01';
const lastUsageDay = '9999-12-31';
const dayRule = `a UTC day from ${firstUsageDay} to ${lastUsageDay}, YYYY-MM-DD`;
// ISO order is string order, so a comparison of the text bounds the day.
const usageDay = z.iso
  .date(`must be ${dayRule}`)
  .refine((day) => day >= firstUsageDay && day <= lastUsageDay, `must be ${dayRule}`);

export const usageQuerySchema = withoutNul(
  z
    .strictObject({
      from: usageDay.optional().meta({
        description: `The first UTC day counted, ${dayRule} (default: 29 days before \`to\`, but not before ${firstUsageDay}).`,
      }),
      to: usageDay
        .optional()
        .meta({ description: `The last UTC day counted, ${dayRule} (default: today).` }),
      group_by: z
        .string()
        .regex(dimensionList, `group_by is ${groupByRule}`)
        .optional()
        .meta({
          description: `How to split the totals: ${groupByRule} (default: none, totals only).`,
          example: 'day,model',
        }),
      owner: z.string().min(1).max(200).optional().meta({
        description: 'Only this owner’s usage (admin keys; an owner key sees its own only).',
      }),
      key_id: z.string().min(1).max(200).optional().meta({ description: 'Only this key’s usage.' }),
      model: z
        .string()
        .min(1)
        .max(200)
        .optional()
        .meta({ description: 'Only this model’s usage.' }),
    })
    .refine((query) => !query.from || !query.to || query.from <= query.to, {
      message: '`from` must be on or before `to`',
      path: ['from'],
    }),
);
export type UsageQueryParameters = z.infer<typeof usageQuerySchema>;

const amounts = {
  requests: z.int().meta({ description: 'Answers counted (each model call of a chain is one).' }),
  input_tokens: z.int().meta({ description: 'Input tokens, cached ones included.' }),
  output_tokens: z.int().meta({ description: 'Output tokens, reasoning included.' }),
  cost_usd: z.number().meta({ description: 'USD at the models’ prices (unpriced models: 0).' }),
};

export const usageGroupSchema = z
  .object({
    day: z.iso.date().optional(),
    model: z.string().optional(),
    key_id: z.string().nullable().optional().meta({ description: 'null: no owner key (admin).' }),
    owner: z.string().nullable().optional(),
    ...amounts,
  })
  .meta({ id: 'UsageGroup' });
export type UsageGroupBody = z.infer<typeof usageGroupSchema>;

export const usageReportSchema = z
  .object({
    currency: z.literal('USD'),
    from: z.iso.date(),
    to: z.iso.date(),
    group_by: z.array(z.enum(usageDimensions)),
    total: z.object(amounts),
    data: z.array(usageGroupSchema),
  })
  .meta({ id: 'UsageReport' });
export type UsageReportBody = z.infer<typeof usageReportSchema>;
