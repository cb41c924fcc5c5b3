import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useDatabase } from './database.fixture.ts';
import type { Database } from './database.ts';
import { executeRows } from './execute-rows.ts';
import { unfinishedPromptsQuery } from './unfinished-prompts.ts';

describe('unfinishedPrompts on PostgreSQL', () => {
  const database = useDatabase('postgres');

  it('walks the partial index that leaves provider batch items and later chain steps out', async () => {
    const db = database().db;
    const plan = await db.transaction(async (tx) => {
      // An empty table is scanned whole by any planner: only whether the index can serve the
      // query's predicate is asked here.
      await tx.execute(sql`set local enable_seqscan = off`);
      const query = unfinishedPromptsQuery(tx as unknown as Database, {
        status: 'queued',
        olderThanMs: 0,
        afterId: '',
        limit: 1_000,
      });
      return executeRows<{ 'QUERY PLAN': string }>(tx, sql`explain ${query}`);
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('responses_unfinished_idx');
  });
});
