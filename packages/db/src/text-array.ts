import { type SQL, sql } from 'drizzle-orm';

/** Strings as a PostgreSQL array literal, each element quoted. */
export function textArrayLiteral(values: readonly string[]): string {
  const elements = values.map((value) => `"${value.replace(/["\\]/g, '\\$&')}"`);
  return `{${elements.join(',')}}`;
}

/**
 * Strings as one `text[]` parameter (an array literal, so both drivers bind it the same way,
 * and the statement's text never depends on how many there are).
 */
export function textArray(values: readonly string[]): SQL {
  return sql`${textArrayLiteral(values)}::text[]`;
}
