import { createTestDatabase, type TestDatabase } from '@llmq/testing';
import { afterAll, beforeAll } from 'vitest';
import { createDatabase, type DatabaseHandle } from './database.ts';

export const drivers = ['postgres', 'pglite'] as const;
export type Driver = (typeof drivers)[number];

/**
 * A migrated, empty database of the given driver for the enclosing `describe`: a new
 * PostgreSQL database, or an in-memory PGlite. Both run the same committed migrations.
 */
export function useDatabase(driver: Driver): () => DatabaseHandle {
  let handle: DatabaseHandle | undefined;
  let testDatabase: TestDatabase | undefined;
  beforeAll(async () => {
    if (driver === 'postgres') {
      testDatabase = await createTestDatabase();
      handle = await createDatabase(testDatabase.url, { maxConnections: 5 });
    } else {
      handle = await createDatabase('memory://');
    }
    await handle.migrate();
  });
  afterAll(async () => {
    await handle?.close();
    await testDatabase?.drop();
  });
  return () => {
    if (!handle) throw new Error('the database is not ready yet');
    return handle;
  };
}
