import { z } from 'zod';

/** A prompt job's data; everything else is read from the database when it runs. */
export const promptJobSchema = z.object({
  promptId: z.string().min(1),
  model: z.string().min(1),
});
export type PromptJob = z.infer<typeof promptJobSchema>;
