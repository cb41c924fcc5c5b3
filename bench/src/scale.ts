// pnpm bench:scale — how throughput grows with worker processes: echo jobs of about 200 ms
// (one chunk after `delay_ms`), 1, 2 and 4 worker processes at concurrency 50 each, each run
// with its own jobs. Prints jobs/s and the efficiency against the ideal (workers × concurrency ÷
// 0.2 s). All processes share this machine's cores, so the ideal also tests the machine.
// The workers' rate runs from the first job's start to the last job's end, as stored: queueing
// the jobs (one batch insert and addBulk, measured by bench:batch) is the producer's work, and
// is printed beside it.
import { availableParallelism } from 'node:os';
import { newId } from '@llmq/core';
import { batchCounts, batchItemIds, batchItemsPage, createBatch } from '@llmq/db';
import { type ServiceProcess, startServiceProcess, workerNodeFlags } from '@llmq/testing';
import { openBenchServices } from './bench-services.ts';

const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const jobMs = Number(process.env.BENCH_JOB_MS ?? 200);
// 30 rounds (6 s of work per worker count): with 8 (1.6 s) a fixed ~0.5 s of start-up and tail
// (fresh processes compiling their hot paths, the last round's stragglers) was a third of the
// run, and the figure measured that rather than the fleet's steady rate.
const rounds = Number(process.env.BENCH_ROUNDS ?? 30);
const workerCounts = (process.env.BENCH_WORKERS ?? '1,2,4').split(',').map(Number);
const workerEntry = new URL('../../apps/worker/src/main.ts', import.meta.url).pathname;

const services = await openBenchServices();
const env = {
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  STORAGE_URL: `file://${services.blobFolder}`,
  LLMQ_QUEUE_PREFIX: services.prefix,
  LLMQ_PLUGINS: '@llmq/plugin-echo',
  WORKER_CONCURRENCY: String(concurrency),
  LLMQ_METRICS_PORT: '0',
  // As deployed: a line per job start and end.
  LOG_LEVEL: 'info',
};

/** Queue `count` echo jobs as one batch; resolves with the batch id once they are all added. */
async function queueJobs(count: number): Promise<string> {
  const batch = await createBatch(services.database.db, {
    id: newId(),
    model: 'echo',
    template: {},
    items: Array.from({ length: count }, (_, index) => ({
      id: newId(),
      model: 'echo',
      prompt: `job ${index}`,
      system: null,
      options: { delay_ms: jobMs, chunk_size: 100_000 },
      customId: null,
      owner: null,
      attachments: [],
    })),
  });
  const ids = await batchItemIds(services.database.db, batch.id, 'queued');
  await services.queue.addBulk(ids.map((promptId) => ({ promptId, model: 'echo' })));
  return batch.id;
}

interface Run {
  readonly jobs: number;
  /** From the first job's start to the last job's end. */
  readonly seconds: number;
  /** From before the jobs were queued to the last job's end. */
  readonly wallSeconds: number;
  readonly queueSeconds: number;
}

async function run(workers: number): Promise<Run> {
  const processes: ServiceProcess[] = [];
  try {
    for (let index = 0; index < workers; index++) {
      processes.push(startServiceProcess(workerEntry, env, [], workerNodeFlags));
    }
    await Promise.all(processes.map((worker) => worker.waitForLine(/worker ready/, 60_000)));
    const jobs = workers * concurrency * rounds;
    const started = Date.now();
    const batchId = await queueJobs(jobs);
    const queued = Date.now();
    // Polled seldom (counting a big batch is work for PostgreSQL, which the workers share):
    // the end is the last job's completion time as stored, not when the poll noticed it.
    for (;;) {
      const counts = await batchCounts(services.database.db, batchId);
      if (counts.failed + counts.cancelled > 0)
        throw new Error(`jobs failed: ${JSON.stringify(counts)}`);
      if (counts.succeeded === jobs) break;
      await new Promise((resume) => setTimeout(resume, 1_000));
    }
    const rows = await batchItemsPage(services.database.db, batchId, -1, jobs);
    const ended = Math.max(...rows.map((row) => row.completedAt?.getTime() ?? 0));
    const firstStart = Math.min(...rows.map((row) => row.startedAt?.getTime() ?? ended));
    return {
      jobs,
      seconds: (ended - firstStart) / 1000,
      wallSeconds: (ended - started) / 1000,
      queueSeconds: (queued - started) / 1000,
    };
  } finally {
    for (const worker of processes) worker.kill('SIGTERM');
    await Promise.all(processes.map((worker) => worker.exited));
  }
}

try {
  console.log(
    `bench:scale — echo jobs of ${jobMs} ms, concurrency ${concurrency} per worker process, ${rounds} rounds of work each, ${availableParallelism()} cores\n`,
  );
  console.log(
    'workers   jobs   queued s   run s   jobs/s    ideal   efficiency   wall jobs/s (queueing included)',
  );
  let fourWorkers: number | undefined;
  for (const workers of workerCounts) {
    const { jobs, seconds, wallSeconds, queueSeconds } = await run(workers);
    const rate = jobs / seconds;
    const ideal = (workers * concurrency * 1000) / jobMs;
    const efficiency = rate / ideal;
    if (workers === 4) fourWorkers = efficiency;
    console.log(
      `${String(workers).padStart(7)} ${String(jobs).padStart(6)} ${queueSeconds.toFixed(2).padStart(10)} ${seconds.toFixed(2).padStart(7)} ${rate.toFixed(0).padStart(8)} ${ideal.toFixed(0).padStart(8)} ${efficiency.toFixed(2).padStart(12)} ${(jobs / wallSeconds).toFixed(0).padStart(13)}`,
    );
  }
  if (fourWorkers !== undefined) {
    console.log(
      `\ntarget: efficiency ≥ 0.85 with 4 workers: ${fourWorkers.toFixed(2)} ${fourWorkers >= 0.85 ? 'met' : 'MISSED'}`,
    );
  }
} finally {
  await services.close();
}
process.exit(0);
