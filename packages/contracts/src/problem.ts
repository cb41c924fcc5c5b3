import { z } from 'zod';

/** The budget or limit a 402 or 429 ran into (an RFC 9457 extension member). */
export const reachedLimitSchema = z
  .object({
    holder: z.enum(['key', 'owner']).meta({
      description: "Whose limit: the API key's own, or its owner's (shared by every key of it).",
    }),
    name: z.enum(['budget', 'requests_per_minute', 'tokens_per_minute', 'max_concurrent']),
    value: z.number().meta({ description: 'The limit: USD for a budget, else a count.' }),
    used: z.number().meta({ description: 'What is used of it now (USD spent, or a count).' }),
    period: z.enum(['day', 'week', 'month']).optional().meta({
      description: "A budget's period (UTC calendar days, weeks from Monday, months).",
    }),
    resets_at: z.string().meta({
      description: 'When trying again may succeed (ISO 8601): the next period or minute.',
    }),
  })
  .meta({ id: 'ReachedLimit' });
export type ReachedLimit = z.infer<typeof reachedLimitSchema>;

/** RFC 9457 problem details: every 4xx and 5xx body of the API. */
export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'A URI naming the kind of problem.' }),
    title: z.string().meta({ description: 'A short, stable summary of the kind of problem.' }),
    status: z.int(),
    detail: z.string().meta({ description: 'What was wrong with this request and how to fix it.' }),
    instance: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'Each invalid field, for validation problems.' }),
    limit: reachedLimitSchema.optional(),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export const problemContentType = 'application/problem+json';
