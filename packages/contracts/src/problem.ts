import { z } from 'zod';

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
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

export const problemContentType = 'application/problem+json';
