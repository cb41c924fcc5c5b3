import { newId } from '@llmq/core';
import { insertQueuedPrompts } from '@llmq/db';
import { startPromptWorker } from '@llmq/engine';
import postgres from 'postgres';
import { openBenchServices } from '../bench-services.ts';
import { countdown } from './countdown.ts';
import { promptText } from './echo-answer.ts';
import type { PipelinePeer } from './peer.ts';
import { verifySample } from './prompts-table.ts';

/**
 * llmq as bench:pipeline always ran it: prompts inserted 1,000 at a time as queued rows
 * (insertQueuedPrompts) then added to the queue (addBulk, interactive priority), the prompt
 * worker at `concurrency` running echo and storing each answer, its event log, usage and status.
 */
export const llmqPeer: PipelinePeer = {
  name: 'llmq',
  stores: true,
  usesRedis: true,
  async prepare(jobs, concurrency) {
    const services = await openBenchServices();
    const worker = startPromptWorker(services.deps, {
      connection: services.workerConnection(),
      prefix: services.prefix,
      concurrency,
      backoffMs: 1_000,
    });
    const finished = countdown(jobs);
    for (const modelWorker of worker.workers) modelWorker.on('completed', () => finished.tick());
    return {
      database: new URL(services.databaseUrl).pathname.slice(1),
      async run() {
        for (let start = 0; start < jobs; start += 1_000) {
          const items = Array.from({ length: Math.min(1_000, jobs - start) }, (_, offset) => ({
            id: newId(),
            model: 'echo',
            prompt: promptText(start + offset),
            options: {},
            attachments: [],
          }));
          await services.database.db.transaction((tx) => insertQueuedPrompts(tx, items));
          await services.queue.addBulk(
            items.map((item) => ({ promptId: item.id, model: 'echo' })),
            'interactive',
          );
        }
        await finished.done;
      },
      async verify() {
        const sql = postgres(services.databaseUrl, { max: 1, onnotice: () => undefined });
        try {
          const [counted] = await sql<{ answered: string }[]>`
            select count(*) as answered from responses
            where status = 'succeeded' and response is not null`;
          if (Number(counted?.answered) !== jobs) {
            throw new Error(`llmq: ${counted?.answered} of ${jobs} prompts answered`);
          }
          await verifySample(jobs, async (index) => {
            const [row] = await sql<{ response: string }[]>`
              select response from responses where prompt = ${promptText(index)}`;
            return row?.response;
          });
        } finally {
          await sql.end();
        }
      },
      async close() {
        await worker.close(1_000);
        await services.close();
      },
    };
  },
};
