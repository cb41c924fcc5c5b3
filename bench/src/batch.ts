// pnpm bench:batch — a 100,000-item echo batch (no delay) through one api process and one worker
// process at concurrency 100: time until POST returns, time until the batch completes, items/s,
// peak RSS of api and worker; and, in the same run and at the same size and concurrency, the
// hand-rolled BullMQ + postgres.js path of bench:pipeline (issue #27: llmq ≥ 0.8× it) and bare
// BullMQ, which stores nothing.
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServiceProcess, workerNodeFlags } from '@llmq/testing';
import { openBenchServices } from './bench-services.ts';
import { extraNodeFlags } from './extra-node-flags.ts';
import { bareBullmqPeer } from './pipeline-peers/bare-bullmq.ts';
import { handRolledBullmqPeer } from './pipeline-peers/hand-rolled-bullmq.ts';
import type { PipelinePeer } from './pipeline-peers/peer.ts';

const items = Number(process.env.BENCH_ITEMS ?? 100_000);
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 100);
const apiEntry = new URL('../../apps/api/src/main.ts', import.meta.url).pathname;
const workerEntry = new URL('../../apps/worker/src/main.ts', import.meta.url).pathname;

/** A peer's jobs per second over its measured window (insert, queue, run), its answers checked. */
async function peerRate(peer: PipelinePeer): Promise<number> {
  const prepared = await peer.prepare(items, concurrency);
  try {
    const started = performance.now();
    await prepared.run();
    const seconds = (performance.now() - started) / 1000;
    await prepared.verify();
    return items / seconds;
  } finally {
    await prepared.close();
  }
}

const peakRss = (pid: number | undefined) =>
  Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024;

const services = await openBenchServices();
const folder = await mkdtemp(join(tmpdir(), 'llmq-bench-batch-'));
const env = {
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  STORAGE_URL: `file://${folder}`,
  LLMQ_QUEUE_PREFIX: services.prefix,
  LLMQ_PLUGINS: '@llmq/plugin-echo',
  LOG_LEVEL: 'info',
};
const api = startServiceProcess(apiEntry, { ...env, PORT: '0', LLMQ_EMBEDDED_WORKER: 'false' });
const worker = startServiceProcess(
  workerEntry,
  {
    ...env,
    WORKER_CONCURRENCY: String(concurrency),
    LLMQ_METRICS_PORT: '0',
    LOG_LEVEL: 'warn',
  },
  [],
  [...workerNodeFlags, ...extraNodeFlags('BENCH_WORKER_NODE_OPTIONS')],
);
try {
  const url = (JSON.parse(await api.waitForLine(/llmq listening on/, 60_000)) as { url: string })
    .url;
  const body = JSON.stringify({
    model: 'echo',
    prompt: 'summarise',
    items: Array.from({ length: items }, (_, index) => ({
      custom_id: `item-${index}`,
      prompt: `item ${index}`,
    })),
  });
  const started = performance.now();
  const response = await fetch(`${url}/v1/batches`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  const accepted = performance.now();
  if (response.status !== 201)
    throw new Error(`the batch was refused: ${response.status} ${await response.text()}`);
  const batch = (await response.json()) as { id: string };
  let status = '';
  while (status !== 'completed') {
    await new Promise((resume) => setTimeout(resume, 500));
    status = ((await (await fetch(`${url}/v1/batches/${batch.id}`)).json()) as { status: string })
      .status;
    if (status === 'failed' || status === 'cancelled') throw new Error(`the batch ended ${status}`);
  }
  const completed = performance.now();
  const apiRss = peakRss(api.child.pid);
  const workerRss = peakRss(worker.child.pid);
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await Promise.all([api.exited, worker.exited]);
  const handRolled = await peerRate(handRolledBullmqPeer);
  const bare = await peerRate(bareBullmqPeer);
  const seconds = (completed - started) / 1000;
  const rate = items / seconds;
  console.log(
    `bench:batch — ${items} echo items, one worker process at concurrency ${concurrency}\n`,
  );
  console.log(
    `POST /v1/batches returned after      ${((accepted - started) / 1000).toFixed(2)} s (target < 10 s ${accepted - started < 10_000 ? 'met' : 'MISSED'})`,
  );
  console.log(
    `batch completed after                ${seconds.toFixed(2)} s: ${rate.toFixed(0)} items/s`,
  );
  console.log(`peak RSS: api ${apiRss.toFixed(0)} MB, worker ${workerRss.toFixed(0)} MB`);
  console.log(`hand-rolled BullMQ + postgres.js    ${handRolled.toFixed(0)} jobs/s`);
  console.log(`bare BullMQ no-op (stores nothing)  ${bare.toFixed(0)} jobs/s`);
  console.log(
    `ratio to hand-rolled ${(rate / handRolled).toFixed(2)} (target ≥ 0.80 ${rate / handRolled >= 0.8 ? 'met' : 'MISSED'}); to bare BullMQ ${(rate / bare).toFixed(2)}`,
  );
} finally {
  api.kill('SIGKILL');
  worker.kill('SIGKILL');
  await services.close();
  await rm(folder, { recursive: true, force: true });
}
process.exit(0);
