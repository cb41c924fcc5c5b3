import { type SQL, sql } from 'drizzle-orm';

/**
 * A moment on the database's clock: its `now()` moved by `offsetMs` (negative for the past).
 * Ages are measured here, not against the host's clock: every process of a fleet shares this
 * one, and it keeps microseconds, where a JavaScript Date keeps milliseconds (a row written in
 * the same millisecond as a host-side cutoff of zero grace would look younger than it).
 */
export function databaseMoment(offsetMs: number): SQL {
  return sql`(now() + make_interval(secs => ${offsetMs / 1000}::double precision))`;
}
