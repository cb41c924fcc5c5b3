import { z } from 'zod';

/** Ids the server makes (ULIDs) are letters and digits; nothing else is worth a lookup. */
export const resourceIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'an id is letters, digits, - and _');
