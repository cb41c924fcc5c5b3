import { z } from 'zod';

export const healthSchema = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

const checkSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  detail: z.string().optional(),
});

export const readinessSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    draining: z.literal(true).optional().meta({
      description: 'This process is shutting down: it finishes what it has and takes no more.',
    }),
    checks: z.object({ redis: checkSchema, database: checkSchema, storage: checkSchema }),
  })
  .meta({ id: 'Readiness' });
export type Readiness = z.infer<typeof readinessSchema>;
