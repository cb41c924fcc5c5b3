import { createTestDatabase, type TestDatabase } from '@llmq/testing';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatabase, type DatabaseExecutor, type DatabaseHandle } from './database.ts';
import { executeRows } from './execute-rows.ts';

// One connection, so every statement runs in the session whose prepared statements are read.
let testDatabase: TestDatabase;
let handle: DatabaseHandle;
beforeAll(async () => {
  testDatabase = await createTestDatabase();
  handle = await createDatabase(testDatabase.url, { maxConnections: 1 });
});
afterAll(async () => {
  await handle.close();
  await testDatabase.drop();
});

const preparedLike = async (executor: DatabaseExecutor, marker: string) =>
  (
    await executeRows<{ statement: string }>(
      executor,
      sql`select statement from pg_prepared_statements where statement like ${`%${marker}%`} and statement not like '%pg_prepared_statements%'`,
    )
  ).length;

describe('statements on the postgres driver', () => {
  it('run a repeated statement with parameters as a server-side prepared statement', async () => {
    const run = (value: number) =>
      executeRows<{ doubled: number }>(handle.db, sql`select ${value}::int * 2 as doubled_once`);
    expect(await run(1)).toEqual([{ doubled_once: 2 }]);
    expect(await preparedLike(handle.db, 'doubled_once')).toBe(0);
    for (const value of [2, 3, 4]) expect(await run(value)).toEqual([{ doubled_once: value * 2 }]);
    expect(await preparedLike(handle.db, 'doubled_once')).toBe(1);
  });

  it('do so inside transactions and savepoints too', async () => {
    await handle.db.transaction(async (transaction) => {
      const run = (value: number) =>
        executeRows<{ tripled: number }>(
          transaction,
          sql`select ${value}::int * 3 as tripled_here`,
        );
      await run(1);
      await run(2);
      expect(await preparedLike(transaction, 'tripled_here')).toBe(1);
      await transaction.transaction(async (savepoint) => {
        const inner = (value: number) =>
          executeRows<{ value: number }>(savepoint, sql`select ${value}::int as in_savepoint`);
        await inner(1);
        expect(await inner(5)).toEqual([{ in_savepoint: 5 }]);
        expect(await preparedLike(savepoint, 'in_savepoint')).toBe(1);
      });
    });
  });

  it('keep statements without parameters on the simple protocol', async () => {
    for (let run = 0; run < 3; run++) await handle.db.execute(sql`select 1 as no_parameters`);
    expect(await preparedLike(handle.db, 'no_parameters')).toBe(0);
  });
});
