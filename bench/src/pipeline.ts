// pnpm bench:pipeline [--large] — (1) `jobs` echo prompts (10,000; 100,000 with --large or
// BENCH_JOBS=n) through llmq and through what a user would pick instead, all storing prompts
// and answers in PostgreSQL (but the bare no-op), each in its own database and Redis prefix,
// at concurrency 50, BENCH_RUNS (3) runs with the order rotated each run: jobs/s, CPU per job
// by process, Redis calls per job, llmq's ratio to each, medians with min–max; (2) chunk
// latency from the worker's append to a follower's receipt, with 100 jobs streaming at once.
// How CPU is read: bench/src/pipeline-measure/README.md.
import { testEnvironment } from '@llmq/testing';
import { chunkLatency } from './chunk-latency.ts';
import { percentile } from './percentile.ts';
import { PeerMeter, type PeerRun } from './pipeline-measure/measure-peer.ts';
import { printRedisBreakdown, printTable } from './pipeline-measure/report.ts';
import { bareBullmqPeer } from './pipeline-peers/bare-bullmq.ts';
import { graphileWorkerBatchedPeer } from './pipeline-peers/graphile-worker-batched.ts';
import { graphileWorkerDefaultsPeer } from './pipeline-peers/graphile-worker-defaults.ts';
import { handRolledBullmqPeer } from './pipeline-peers/hand-rolled-bullmq.ts';
import { llmqPeer } from './pipeline-peers/llmq.ts';
import type { PipelinePeer } from './pipeline-peers/peer.ts';
import { pgBossPeer } from './pipeline-peers/pg-boss.ts';

const large = process.argv.includes('--large');
const jobs = Number(process.env.BENCH_JOBS ?? (large ? 100_000 : 10_000));
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
const runCount = Number(process.env.BENCH_RUNS ?? 3);
const batch = Number(process.env.BENCH_BATCH ?? 50);
const streams = Number(process.env.BENCH_STREAMS ?? 100);
// BENCH_PEERS=llmq,pg-boss runs only the peers whose names contain one of those words.
const only = process.env.BENCH_PEERS?.split(',').map((word) => word.trim().toLowerCase());

const allPeers: PipelinePeer[] = [
  llmqPeer,
  handRolledBullmqPeer,
  graphileWorkerBatchedPeer(batch),
  graphileWorkerDefaultsPeer,
  pgBossPeer(batch),
  bareBullmqPeer,
];
const peers = allPeers.filter(
  (peer) =>
    peer === llmqPeer || !only || only.some((word) => peer.name.toLowerCase().includes(word)),
);

console.log(
  `bench:pipeline — ${jobs.toLocaleString('en-US')} jobs, concurrency ${concurrency}, ` +
    `${runCount} runs, order rotated; CPU per job in µs from /proc/<pid>/stat utime+stime\n`,
);
const meter = new PeerMeter(testEnvironment.redisUrl);
const runs = new Map<PipelinePeer, PeerRun[]>(peers.map((peer) => [peer, []]));
for (let run = 0; run < runCount; run++) {
  const order = peers.map((_, index) => peers[(index + run) % peers.length] as PipelinePeer);
  for (const peer of order) {
    const result = await meter.measure(peer, jobs, concurrency);
    runs.get(peer)?.push(result);
    console.log(
      `run ${run + 1}: ${peer.name.padEnd(40)} ${result.jobsPerSecond.toFixed(0).padStart(6)} jobs/s`,
    );
  }
}
await meter.close();

console.log('');
printTable(peers, runs, llmqPeer);
console.log('\nRedis calls per job by command (median of the runs; scripts’ inner calls counted):');
printRedisBreakdown(
  peers.filter((peer) => peer.usesRedis),
  runs,
);

const latencies = await chunkLatency(streams);
const p50 = percentile(latencies, 50);
const p99 = percentile(latencies, 99);
console.log(
  `\nchunk latency, append → follower, ${streams} jobs streaming at once (${latencies.length} chunks):` +
    `\n  p50 ${p50.toFixed(2)} ms, p99 ${p99.toFixed(2)} ms`,
);
process.exit(0);
