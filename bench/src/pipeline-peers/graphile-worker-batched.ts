import { echoAnswer } from './echo-answer.ts';
import { prepareGraphileWorker } from './graphile-worker-runner.ts';
import type { PipelinePeer } from './peer.ts';
import type { PromptRow } from './prompts-table.ts';

/**
 * graphile-worker's batch jobs: each job's payload is a list of `batch` prompts (added as such
 * with addJobs, rather than merged over time through job_key), its task answers them all and
 * stores the answers with one UPDATE … FROM (VALUES …). Runner concurrency is
 * concurrency / batch jobs, so as many prompts are in hand at once as the other peers'
 * (50 / 50 = 1 job at a time by default).
 */
export function graphileWorkerBatchedPeer(batch: number): PipelinePeer {
  return {
    name: `graphile-worker 0.18, batch jobs of ${batch}`,
    stores: true,
    usesRedis: false,
    prepare: (jobs, concurrency) =>
      prepareGraphileWorker(
        jobs,
        Math.max(1, Math.round(concurrency / batch)),
        (table) => async (payload) => {
          const rows = payload as PromptRow[];
          const results = await Promise.all(
            rows.map(async ({ id, prompt }) => ({ id, result: await echoAnswer(prompt) })),
          );
          await table.storeResults(results);
        },
        (rows) => {
          const batches: PromptRow[][] = [];
          for (let start = 0; start < rows.length; start += batch) {
            batches.push(rows.slice(start, start + batch));
          }
          return batches;
        },
      ),
  };
}
