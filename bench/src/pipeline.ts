// pnpm bench:pipeline — (1) 10,000 echo jobs through queue → worker (concurrency 50) →
// PostgreSQL, against bare BullMQ (addBulk of 10,000 no-op jobs, one worker at concurrency 50,
// same Redis) in the same run; (2) chunk latency from the worker's append to a follower's
// receipt, p50 and p99, with 100 jobs streaming at once.
import { newId } from '@llmq/core';
import { insertQueuedPrompts } from '@llmq/db';
import { startPromptWorker } from '@llmq/engine';
import type { EventLog } from '@llmq/queue';
import { bareBullmqRate } from './bare-bullmq.ts';
import { openBenchServices } from './bench-services.ts';
import { percentile } from './percentile.ts';

const jobs = Number(process.env.BENCH_JOBS ?? 10_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const streams = Number(process.env.BENCH_STREAMS ?? 100);

async function llmqPipeline(): Promise<number> {
  const services = await openBenchServices();
  try {
    const worker = startPromptWorker(services.deps, {
      connection: services.workerConnection(),
      prefix: services.prefix,
      concurrency,
      backoffMs: 1_000,
    });
    let done = 0;
    let finished: () => void = () => undefined;
    const allDone = new Promise<void>((resolve) => {
      finished = resolve;
    });
    for (const modelWorker of worker.workers) {
      modelWorker.on('completed', () => {
        if (++done === jobs) finished();
      });
    }
    const started = performance.now();
    for (let start = 0; start < jobs; start += 1_000) {
      const items = Array.from({ length: Math.min(1_000, jobs - start) }, (_, index) => ({
        id: newId(),
        model: 'echo',
        prompt: `job ${start + index}`,
        options: {},
        attachments: [],
      }));
      await services.database.db.transaction((tx) => insertQueuedPrompts(tx, items));
      await services.queue.addBulk(
        items.map((item) => ({ promptId: item.id, model: 'echo' })),
        'interactive',
      );
    }
    await allDone;
    const seconds = (performance.now() - started) / 1000;
    await worker.close(1_000);
    return jobs / seconds;
  } finally {
    await services.close();
  }
}

async function chunkLatency(): Promise<number[]> {
  const services = await openBenchServices();
  try {
    // Time each append in the worker by entry id, read it again at the follower.
    const appendedAt = new Map<string, number>();
    const timed = new Proxy(services.events, {
      get(target, property) {
        if (property === 'appendMany') {
          return async (...args: Parameters<EventLog['appendMany']>) => {
            const before = performance.now();
            const ids = await target.appendMany(...args);
            for (const id of ids ?? []) appendedAt.set(id, before);
            return ids;
          };
        }
        const value = Reflect.get(target, property, target);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const worker = startPromptWorker(
      { ...services.deps, events: timed },
      {
        connection: services.workerConnection(),
        prefix: services.prefix,
        concurrency: streams,
        backoffMs: 1_000,
      },
    );
    const latencies: number[] = [];
    const ids = Array.from({ length: streams }, () => newId());
    await services.database.db.transaction((tx) =>
      insertQueuedPrompts(
        tx,
        ids.map((id, index) => ({
          id,
          model: 'echo',
          prompt: `stream ${index}`,
          options: { delay_ms: 10, chunk_size: 4 },
          attachments: [],
        })),
      ),
    );
    const followers = ids.map(async (id) => {
      for await (const entry of services.events.follow(id)) {
        const received = performance.now();
        const sent = appendedAt.get(entry.id);
        if (entry.event.type === 'chunk' && sent !== undefined) latencies.push(received - sent);
      }
    });
    await services.queue.addBulk(
      ids.map((id) => ({ promptId: id, model: 'echo' })),
      'interactive',
    );
    await Promise.all(followers);
    await worker.close(1_000);
    return latencies;
  } finally {
    await services.close();
  }
}

console.log(`bench:pipeline — ${jobs} jobs, worker concurrency ${concurrency}\n`);
const bare = await bareBullmqRate(jobs, concurrency);
console.log(`bare BullMQ (addBulk + no-op worker)       ${bare.toFixed(0).padStart(7)} jobs/s`);
const ours = await llmqPipeline();
console.log(`llmq echo → worker → PostgreSQL            ${ours.toFixed(0).padStart(7)} jobs/s`);
const ratio = ours / bare;
console.log(`ratio ${ratio.toFixed(2)} (target ≥ 0.50 ${ratio >= 0.5 ? 'met' : 'MISSED'})\n`);

const latencies = await chunkLatency();
const p50 = percentile(latencies, 50);
const p99 = percentile(latencies, 99);
console.log(
  `chunk latency, append → follower, ${streams} jobs streaming at once (${latencies.length} chunks):` +
    `\n  p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms (target p99 < 10 ms ${p99 < 10 ? 'met' : 'MISSED'})`,
);
process.exit(0);
