// pnpm bench:facade — streaming chat completions to the local OpenAI-compatible server, made
// straight to it, through two reverse proxies a user might put there instead (a bare node:http
// proxy and `http-proxy`), through a relay that reads the stream with the openai SDK and writes
// it back (the floor for a facade that parses the stream; each peer in its own process:
// facade-peers/), and through the llmq facade
// (api process → queue → worker process → OpenAI plugin → the same server), as chat and as
// streaming Responses (`/responses`, the same worker and upstream path, its events mapped from
// the prompt's log). Every side uses the official openai SDK. BENCH_CALLS at once (50) ×
// BENCH_ROUNDS (3), then BENCH_SEQUENTIAL_CALLS (30) one at a time; rounds and single calls
// alternate between the paths so machine noise hits them alike. Prints each path's time to
// first token and to the end (p50, p99), what each adds to the straight path, each one's CPU
// per call from /proc (the proxy's process; llmq's api + worker), and issue #27's targets.
// facade-measure/README.md says what is measured and how.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  type ServiceProcess,
  serviceNodeFlags,
  startOpenAICompatibleServer,
  startServiceProcess,
  workerNodeFlags,
} from '@llmq/testing';
import OpenAI from 'openai';
import { openBenchServices } from './bench-services.ts';
import { extraNodeFlags } from './extra-node-flags.ts';
import { printModeTable } from './facade-measure/facade-report.ts';
import { printTargets } from './facade-measure/facade-targets.ts';
import { type FacadePath, measureCalls, PathMeasure } from './facade-measure/path-measure.ts';
import { benchWords, timedChat, timedResponse } from './facade-measure/timed-calls.ts';
import { type ProxyPeer, startProxyPeer } from './facade-peers/proxy-peer.ts';

const calls = Number(process.env.BENCH_CALLS ?? 50);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sequentialCalls = Number(process.env.BENCH_SEQUENTIAL_CALLS ?? 30);
// A fast model's pace: a word every 10 ms.
const chunkDelayMs = Number(process.env.BENCH_CHUNK_DELAY_MS ?? 10);
// After a burst, and after a single call, before reading CPU: see measureCalls.
const settleAfterBurstMs = 100;
const settleAfterCallMs = 20;
const apiEntry = new URL('../../apps/api/src/main.ts', import.meta.url).pathname;
const workerEntry = new URL('../../apps/worker/src/main.ts', import.meta.url).pathname;

const upstream = await startOpenAICompatibleServer({
  record: false,
  reply: () => ({
    chunks: benchWords.map((word, index) => (index === 0 ? word : ` ${word}`)),
    chunkDelayMs,
  }),
});
const upstreamUrl = new URL(upstream.baseUrl);
const services = await openBenchServices();
const folder = await mkdtemp(join(tmpdir(), 'llmq-bench-facade-'));
const shared = {
  DATABASE_URL: services.databaseUrl,
  REDIS_URL: services.redisUrl,
  STORAGE_URL: `file://${folder}`,
  LLMQ_QUEUE_PREFIX: services.prefix,
  LLMQ_PLUGINS: '@llmq/plugin-openai',
  OPENAI_API_KEY: 'sk-bench',
  OPENAI_BASE_URL: upstream.baseUrl,
  LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'bench-model' }]),
  LOG_LEVEL: 'warn',
};
const api = startServiceProcess(
  apiEntry,
  { ...shared, PORT: '0', LOG_LEVEL: 'info', LLMQ_EMBEDDED_WORKER: 'false' },
  [],
  [...serviceNodeFlags, ...extraNodeFlags('BENCH_API_NODE_OPTIONS')],
);
const worker = startServiceProcess(
  workerEntry,
  {
    ...shared,
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: String(calls),
    LLMQ_METRICS_PORT: '0',
  },
  [],
  [...workerNodeFlags, ...extraNodeFlags('BENCH_WORKER_NODE_OPTIONS')],
);
const proxies: ProxyPeer[] = [];
const pidOf = (service: ServiceProcess) => {
  const pid = service.child.pid;
  if (pid === undefined) throw new Error('a process of the bench did not start');
  return pid;
};
try {
  proxies.push(await startProxyPeer('bare node:http proxy', upstreamUrl.origin));
  proxies.push(await startProxyPeer('http-proxy 1.18.1', upstreamUrl.origin));
  proxies.push(await startProxyPeer('openai SDK relay', upstreamUrl.origin));
  const url = (JSON.parse(await api.waitForLine(/llmq listening on/, 60_000)) as { url: string })
    .url;
  await worker.waitForLine(/worker ready/, 60_000);
  const client = (baseURL: string) => new OpenAI({ apiKey: 'sk-bench', baseURL, maxRetries: 0 });
  const facade = client(`${url}/openai/v1`);
  const llmqProcesses = [
    { name: 'api', pid: pidOf(api) },
    { name: 'worker', pid: pidOf(worker) },
  ];
  const straight: FacadePath = {
    name: 'straight to the server',
    client: client(upstream.baseUrl),
    call: timedChat,
    processes: [],
  };
  const [bareProxy, otherProxy, relay] = proxies.map(
    (proxy): FacadePath => ({
      name: proxy.name,
      client: client(`${proxy.origin}${upstreamUrl.pathname}`),
      call: timedChat,
      processes: [{ name: proxy.name, pid: pidOf(proxy.process) }],
    }),
  );
  if (!bareProxy || !otherProxy || !relay) throw new Error('a peer did not start');
  const chat: FacadePath = {
    name: 'llmq facade, chat',
    client: facade,
    call: timedChat,
    processes: llmqProcesses,
  };
  const responses: FacadePath = {
    name: 'llmq facade, /responses',
    client: facade,
    call: timedResponse,
    processes: llmqProcesses,
  };
  const paths = [straight, bareProxy, otherProxy, relay, chat, responses];
  const watched = paths
    .flatMap((path) => path.processes)
    .filter((process, index, all) => all.indexOf(process) === index);

  // Warm every path (connections, JIT, prepared queries) before measuring; not counted.
  for (const path of paths) await measureCalls(path, new PathMeasure(), watched, 20, 0);

  const concurrent = new Map(paths.map((path) => [path, new PathMeasure()]));
  for (let round = 0; round < rounds; round++) {
    for (const path of paths) {
      await measureCalls(
        path,
        concurrent.get(path) as PathMeasure,
        watched,
        calls,
        settleAfterBurstMs,
      );
    }
  }
  // The floor without contention: the same calls one at a time, the paths taking turns.
  const alone = new Map(paths.map((path) => [path, new PathMeasure()]));
  for (let index = 0; index < sequentialCalls; index++) {
    for (const path of paths) {
      await measureCalls(
        path,
        alone.get(path) as PathMeasure,
        watched,
        1,
        settleAfterCallMs,
        index,
      );
    }
  }

  console.log(
    `bench:facade — streaming chat completions, ${benchWords.length} tokens at one per ${chunkDelayMs} ms, from the local OpenAI-compatible server: straight, through two reverse proxies and an openai SDK relay (each its own process), through the llmq facade (api + worker processes); official openai SDK on every side; ${availableParallelism()} cores. CPU per call over the path's measured calls: /proc/<pid>/stat utime + stime (10 ms ticks), and the threads' /proc schedstat run time (ns) as a check.\n`,
  );
  console.log(`${calls} concurrent × ${rounds} rounds (${calls * rounds} calls per path):`);
  printModeTable(paths, concurrent);
  console.log(`\none at a time (${sequentialCalls} calls per path), the floor without contention:`);
  printModeTable(paths, alone);
  printTargets({
    concurrentCalls: calls,
    straight,
    bareProxy,
    otherProxy,
    relay,
    llmq: [chat, responses],
    concurrent,
    alone,
  });
} finally {
  for (const service of [api, worker, ...proxies.map((proxy) => proxy.process)]) {
    service.kill('SIGTERM');
  }
  await Promise.all([api.exited, worker.exited, ...proxies.map((proxy) => proxy.process.exited)]);
  await upstream.close();
  await services.close();
  await rm(folder, { recursive: true, force: true });
}
process.exit(0);
