import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { useDatabase } from './database.fixture.ts';
import { executeRows } from './execute-rows.ts';

// Each partial index of `responses` with the shape of the queries it serves. Parameters, not
// literals: the planner must prove the index's predicate from `= $1` alone, as it does for a
// prepared statement's generic plan.
const served = [
  {
    index: 'responses_conversation_idx',
    query: 'select id from responses where conversation_id = $1 order by id',
    parameters: "('a')",
  },
  {
    index: 'responses_batch_idx',
    query: 'select id from responses where batch_id = $1 order by batch_index limit 100',
    parameters: "('a')",
  },
  {
    index: 'responses_batch_status_idx',
    query: 'select status, count(*) from responses where batch_id = $1 group by status',
    parameters: "('a')",
  },
  {
    index: 'responses_retention_idx',
    query: 'select id from responses where batch_id is null and completed_at < $1::timestamptz',
    parameters: '(now())',
  },
];

describe('the partial indexes of responses on PostgreSQL', () => {
  const database = useDatabase('postgres');

  it.each(served)(
    '$index serves its queries in a generic plan',
    async ({ index, query, parameters }) => {
      const { db } = database();
      const plan = await db.transaction(async (tx) => {
        // An empty table is scanned whole by any planner: only whether the index can serve the
        // query (its predicate implied by the query's) is asked here.
        await tx.execute(sql`set local enable_seqscan = off`);
        await tx.execute(sql`set local plan_cache_mode = force_generic_plan`);
        await tx.execute(sql.raw(`prepare partial_index_probe as ${query}`));
        const rows = await executeRows<{ 'QUERY PLAN': string }>(
          tx,
          sql.raw(`explain execute partial_index_probe${parameters}`),
        );
        await tx.execute(sql`deallocate partial_index_probe`);
        return rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).toContain(index);
      // And it is partial: rows it does not serve (outside batches, without a conversation, not
      // ended) cost it no entry on any of their writes.
      const [definition] = await executeRows<{ indexdef: string }>(
        db,
        sql`select indexdef from pg_indexes where indexname = ${index}`,
      );
      expect(definition?.indexdef).toContain(' WHERE ');
    },
  );
});
