import { Logger, makeWorkerUtils, type Runner, run, type TaskList } from 'graphile-worker';
import { countdown } from './countdown.ts';
import type { PreparedPeer } from './peer.ts';
import { type PromptRow, PromptsTable, promptChunks } from './prompts-table.ts';

const silent = new Logger(() => () => undefined);

/**
 * graphile-worker 0.18 on its own database beside the prompts table: its schema migrated and a
 * runner at `concurrency` started before the window; in the window each 1,000 prompts are
 * inserted as rows, then added as jobs with one `addJobs` call, `payloadsOf` grouping them
 * (one job per prompt, or batch jobs whose payload is a list of prompts). The window ends when
 * `job:complete` (the job's success written back) has counted every prompt.
 */
export async function prepareGraphileWorker(
  jobs: number,
  concurrency: number,
  task: (table: PromptsTable) => TaskList[string],
  payloadsOf: (rows: PromptRow[]) => PromptRow[] | PromptRow[][],
): Promise<PreparedPeer> {
  const table = await PromptsTable.create();
  const utils = await makeWorkerUtils({ connectionString: table.url, logger: silent });
  await utils.migrate();
  const finished = countdown(jobs);
  const runner: Runner = await run({
    connectionString: table.url,
    concurrency,
    noHandleSignals: true,
    logger: silent,
    taskList: { echo: task(table) },
  });
  runner.events.on('job:complete', ({ job, error }) => {
    if (error) return;
    finished.tick(Array.isArray(job.payload) ? job.payload.length : 1);
  });
  return {
    database: table.database.name,
    async run() {
      for (const rows of promptChunks(jobs)) {
        await table.insert(rows);
        await utils.addJobs(payloadsOf(rows).map((payload) => ({ identifier: 'echo', payload })));
      }
      await finished.done;
    },
    verify: () => table.verify(jobs),
    async close() {
      await runner.stop();
      await utils.release();
      await table.close();
    },
  };
}
