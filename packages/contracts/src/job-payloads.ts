import { z } from 'zod';

/** A prompt job's data; everything else is read from the database when it runs. */
export const promptJobSchema = z.object({
  promptId: z.string().min(1),
  model: z.string().min(1),
  /**
   * Attempts the prompt used before this job existed: a job the reconciler added again after
   * its first one vanished continues the count (a claim must be a later attempt than the row's).
   */
  attemptOffset: z.int().min(0).optional(),
  /**
   * Whose work it is (the prompt's owner and owner key), so a worker checks budgets and limits
   * without reading the row; absent on jobs added without it (the row is read then, and only
   * while some subject has limits).
   */
  owner: z.string().nullable().optional(),
  apiKeyId: z.string().nullable().optional(),
});
export type PromptJob = z.infer<typeof promptJobSchema>;
