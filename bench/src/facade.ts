// pnpm bench:facade — 200 concurrent streaming chat completions through the OpenAI facade
// (api process → queue → worker process → OpenAI plugin → local OpenAI-compatible server),
// against the same 200 calls made straight to that server, in the same run, and the same calls
// as streaming Responses (`/responses`, the same worker and upstream path, its events mapped
// from the prompt's log). Every side uses the official openai SDK. Rounds alternate (direct,
// chat, responses, …) so machine noise hits them alike.
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { startOpenAICompatibleServer, startServiceProcess, workerNodeFlags } from '@llmq/testing';
import OpenAI from 'openai';
import { openBenchServices } from './bench-services.ts';
import { percentile } from './percentile.ts';

const calls = Number(process.env.BENCH_CALLS ?? 200);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);
const sequentialCalls = Number(process.env.BENCH_SEQUENTIAL_CALLS ?? 30);
// A fast model's pace: a word every 10 ms.
const chunkDelayMs = Number(process.env.BENCH_CHUNK_DELAY_MS ?? 10);
const words = 'the quick brown fox jumps over the lazy dog '.repeat(4).trim().split(' ');
const apiEntry = new URL('../../apps/api/src/main.ts', import.meta.url).pathname;
const workerEntry = new URL('../../apps/worker/src/main.ts', import.meta.url).pathname;

interface Timing {
  readonly firstToken: number;
  readonly total: number;
}

/** One streaming call: time to the first content token and to the end of the stream. */
async function timedCall(client: OpenAI, model: string, index: number): Promise<Timing> {
  const start = performance.now();
  let firstToken = Number.NaN;
  const stream = await client.chat.completions.create({
    model,
    stream: true,
    messages: [{ role: 'user', content: `call ${index}: tell me about the fox` }],
  });
  let text = '';
  for await (const chunk of stream) {
    const content = chunk.choices[0]?.delta.content;
    if (content) {
      if (Number.isNaN(firstToken)) firstToken = performance.now() - start;
      text += content;
    }
  }
  if (text !== words.join(' ')) throw new Error(`call ${index} got ${JSON.stringify(text)}`);
  return { firstToken, total: performance.now() - start };
}

/** One streaming Responses call: time to the first `output_text` delta and to the end. */
async function timedResponse(client: OpenAI, model: string, index: number): Promise<Timing> {
  const start = performance.now();
  let firstToken = Number.NaN;
  const stream = await client.responses.create({
    model,
    stream: true,
    input: `call ${index}: tell me about the fox`,
  });
  let text = '';
  for await (const event of stream) {
    if (event.type === 'response.output_text.delta' && event.delta) {
      if (Number.isNaN(firstToken)) firstToken = performance.now() - start;
      text += event.delta;
    }
  }
  if (text !== words.join(' ')) throw new Error(`response ${index} got ${JSON.stringify(text)}`);
  return { firstToken, total: performance.now() - start };
}

type TimedCall = typeof timedCall;

async function concurrentCalls(
  client: OpenAI,
  model: string,
  count: number,
  call: TimedCall = timedCall,
): Promise<Timing[]> {
  return Promise.all(Array.from({ length: count }, (_, index) => call(client, model, index)));
}

const upstream = await startOpenAICompatibleServer({
  record: false,
  reply: () => ({
    chunks: words.map((word, index) => (index === 0 ? word : ` ${word}`)),
    chunkDelayMs,
  }),
});
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
const api = startServiceProcess(apiEntry, {
  ...shared,
  PORT: '0',
  LOG_LEVEL: 'info',
  LLMQ_EMBEDDED_WORKER: 'false',
});
const worker = startServiceProcess(
  workerEntry,
  {
    ...shared,
    LOG_LEVEL: 'info',
    WORKER_CONCURRENCY: String(calls),
    LLMQ_METRICS_PORT: '0',
  },
  [],
  workerNodeFlags,
);
try {
  const url = (JSON.parse(await api.waitForLine(/llmq listening on/, 60_000)) as { url: string })
    .url;
  await worker.waitForLine(/worker ready/, 60_000);
  const direct = new OpenAI({ apiKey: 'sk-bench', baseURL: upstream.baseUrl, maxRetries: 0 });
  const facade = new OpenAI({ apiKey: 'sk-bench', baseURL: `${url}/openai/v1`, maxRetries: 0 });
  // Warm both paths (connections, JIT, prepared queries) before measuring.
  await concurrentCalls(direct, 'bench-model', 20);
  await concurrentCalls(facade, 'bench-model', 20);
  await concurrentCalls(facade, 'bench-model', 20, timedResponse);

  const directTimings: Timing[] = [];
  const facadeTimings: Timing[] = [];
  const responsesTimings: Timing[] = [];
  for (let round = 0; round < rounds; round++) {
    directTimings.push(...(await concurrentCalls(direct, 'bench-model', calls)));
    facadeTimings.push(...(await concurrentCalls(facade, 'bench-model', calls)));
    responsesTimings.push(...(await concurrentCalls(facade, 'bench-model', calls, timedResponse)));
  }

  // The floor without contention: the same calls one at a time.
  const directAlone: Timing[] = [];
  const facadeAlone: Timing[] = [];
  const responsesAlone: Timing[] = [];
  for (let index = 0; index < sequentialCalls; index++) {
    directAlone.push(await timedCall(direct, 'bench-model', index));
    facadeAlone.push(await timedCall(facade, 'bench-model', index));
    responsesAlone.push(await timedResponse(facade, 'bench-model', index));
  }

  const summary = (timings: Timing[]) => {
    const firstTokens = timings.map((timing) => timing.firstToken);
    const totals = timings.map((timing) => timing.total);
    return {
      firstToken50: percentile(firstTokens, 50),
      firstToken99: percentile(firstTokens, 99),
      total50: percentile(totals, 50),
      total99: percentile(totals, 99),
    };
  };
  const ms = (value: number) => `${value.toFixed(1).padStart(7)} ms`;
  type Summary = ReturnType<typeof summary>;
  const addedTo = (straight: Summary, through: Summary): Summary => ({
    firstToken50: through.firstToken50 - straight.firstToken50,
    firstToken99: through.firstToken99 - straight.firstToken99,
    total50: through.total50 - straight.total50,
    total99: through.total99 - straight.total99,
  });
  const table = (straight: Summary, through: Summary, responses: Summary) => {
    console.log('                                 TTFT p50    TTFT p99   total p50   total p99');
    const added = addedTo(straight, through);
    const addedByResponses = addedTo(straight, responses);
    for (const [name, row] of [
      ['straight to the server', straight],
      ['through the llmq facade', through],
      ['added by llmq', added],
      ['/responses through the facade', responses],
      ['added by llmq, /responses', addedByResponses],
    ] as const) {
      console.log(
        `${name.padEnd(31)}${ms(row.firstToken50)}  ${ms(row.firstToken99)}  ${ms(row.total50)}  ${ms(row.total99)}`,
      );
    }
    return { added, addedByResponses };
  };
  console.log(
    `bench:facade — ${calls} concurrent streaming chat completions (and as many streaming responses) × ${rounds} rounds, ${words.length} tokens at one per ${chunkDelayMs} ms, official openai SDK on both sides, ${availableParallelism()} cores\n`,
  );
  const { added, addedByResponses } = table(
    summary(directTimings),
    summary(facadeTimings),
    summary(responsesTimings),
  );
  console.log(
    `\nthe same calls one at a time (${sequentialCalls} each), the overhead without contention:`,
  );
  const alone = table(summary(directAlone), summary(facadeAlone), summary(responsesAlone));
  const verdict = (value: number) => `${value.toFixed(1)} ms ${value < 20 ? 'met' : 'MISSED'}`;
  console.log(
    `\ntarget: added p99 time to first token < 20 ms, ${calls} concurrent: chat ${verdict(added.firstToken99)}, responses ${verdict(addedByResponses.firstToken99)}` +
      ` (one at a time: chat ${verdict(alone.added.firstToken99)}, responses ${verdict(alone.addedByResponses.firstToken99)})`,
  );
} finally {
  api.kill('SIGTERM');
  worker.kill('SIGTERM');
  await Promise.all([api.exited, worker.exited]);
  await upstream.close();
  await services.close();
  await rm(folder, { recursive: true, force: true });
}
process.exit(0);
