import type { z } from 'zod';

/** Whether a JSON value holds the NUL character anywhere: PostgreSQL text and jsonb cannot. */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value && typeof value === 'object') {
    return Object.entries(value).some(
      ([key, field]) => key.includes('\u0000') || containsNul(field),
    );
  }
  return false;
}

/** A schema that also refuses NUL characters anywhere in the value, with a clear message. */
export function withoutNul<Schema extends z.ZodType>(schema: Schema): Schema {
  return schema.refine((value) => !containsNul(value), {
    message: 'text may not contain the NUL character (\\u0000)',
  }) as unknown as Schema;
}
