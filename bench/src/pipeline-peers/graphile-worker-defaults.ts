import { echoAnswer } from './echo-answer.ts';
import { prepareGraphileWorker } from './graphile-worker-runner.ts';
import type { PipelinePeer } from './peer.ts';
import type { PromptRow } from './prompts-table.ts';

/** graphile-worker at its defaults but for concurrency: one job per prompt, one UPDATE each. */
export const graphileWorkerDefaultsPeer: PipelinePeer = {
  name: 'graphile-worker 0.18, defaults',
  stores: true,
  usesRedis: false,
  prepare: (jobs, concurrency) =>
    prepareGraphileWorker(
      jobs,
      concurrency,
      (table) => async (payload) => {
        const { id, prompt } = payload as PromptRow;
        await table.storeResult(id, await echoAnswer(prompt));
      },
      (rows) => rows,
    ),
};
