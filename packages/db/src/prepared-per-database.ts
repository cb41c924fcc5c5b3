import type { Database } from './database.ts';

/**
 * A query built once per database and kept: drizzle builds a statement's text anew on every
 * call otherwise, which on a worker's per-job statements cost more than running them.
 */
export function preparedPerDatabase<Query>(
  build: (db: Database) => Query,
): (db: Database) => Query {
  const built = new WeakMap<Database, Query>();
  return (db) => {
    let query = built.get(db);
    if (!query) {
      query = build(db);
      built.set(db, query);
    }
    return query;
  };
}
