import { PgBoss } from 'pg-boss';
import { countdown } from './countdown.ts';
import { echoAnswer } from './echo-answer.ts';
import type { PipelinePeer } from './peer.ts';
import { type PromptRow, PromptsTable, promptChunks } from './prompts-table.ts';

/**
 * pg-boss 12 on its own database beside the prompts table: each 1,000 prompts inserted as rows
 * then as jobs with one `insert` call; one worker fetching `batch` jobs at a time
 * (localConcurrency concurrency / batch, so 50 prompts in hand by default), answering them
 * together and storing each answer with its own UPDATE; pg-boss completes the batch when the
 * handler returns. It polls every 0.5 s (its floor) and, while fetches come back full, at
 * once (burstWhenBatchFull). The window ends once every prompt is answered and the worker,
 * stopped with `offWork({ wait: true })`, has completed its last batch.
 */
export function pgBossPeer(batch: number): PipelinePeer {
  return {
    name: `pg-boss 12, batch ${batch}`,
    stores: true,
    usesRedis: false,
    async prepare(jobs, concurrency) {
      const table = await PromptsTable.create();
      const boss = new PgBoss({ connectionString: table.url, max: 10 });
      boss.on('error', (error) => console.error('pg-boss:', error));
      await boss.start();
      await boss.createQueue('echo');
      const finished = countdown(jobs);
      await boss.work<PromptRow>(
        'echo',
        {
          batchSize: batch,
          localConcurrency: Math.max(1, Math.round(concurrency / batch)),
          pollingIntervalSeconds: 0.5,
          burstWhenBatchFull: true,
        },
        async (batchJobs) => {
          await Promise.all(
            batchJobs.map(async ({ data }) => {
              await table.storeResult(data.id, await echoAnswer(data.prompt));
            }),
          );
          finished.tick(batchJobs.length);
        },
      );
      return {
        database: table.database.name,
        async run() {
          for (const rows of promptChunks(jobs)) {
            await table.insert(rows);
            await boss.insert(
              'echo',
              rows.map((data) => ({ data })),
            );
          }
          await finished.done;
          await boss.offWork('echo', { wait: true });
        },
        verify: () => table.verify(jobs),
        async close() {
          await boss.stop({ graceful: true, close: true });
          await table.close();
        },
      };
    },
  };
}
