// pnpm bench:streams — what opening and ending SSE streams costs one api process. 2,000 clients
// open streams on 200 prompts that no worker runs (the api's CPU time until each has its first
// event and the api is idle again, per stream opened); `done` is then appended to every
// prompt's log at once, as when 200 prompts end together, and the api's CPU time until the last
// client has its last event is divided by the streams ended (the keep-alive connections stay
// open: closing them is not a stream's end). Nothing else runs meanwhile: no worker, no chunks,
// so the figures are the api's own.
import { LlmqClient } from '@llmq/client';
import { openBenchServices } from './bench-services.ts';
import { startEchoApi } from './echo-api-process.ts';
import { processCpuMs } from './process-cpu.ts';
import { clientsExited, startSseClients } from './sse-clients.ts';

const prompts = Number(process.env.BENCH_PROMPTS ?? 200);
const clientsPerPrompt = Number(process.env.BENCH_CLIENTS_PER_PROMPT ?? 10);
const rounds = Number(process.env.BENCH_ROUNDS ?? 3);

const services = await openBenchServices(5);
const echoApi = await startEchoApi(services, 'streams');
const apiPid = echoApi.process.child.pid ?? 0;
try {
  const url = await echoApi.url();
  const client = new LlmqClient({ baseUrl: url });
  const streams = prompts * clientsPerPrompt;
  console.log(
    `bench:streams — ${streams} SSE streams over ${prompts} prompts, opened, then ended at once; one api process, ${rounds} rounds\n`,
  );
  for (let round = 1; round <= rounds; round++) {
    const ids: string[] = [];
    for (let index = 0; index < prompts; index++) {
      ids.push((await client.createPrompt({ model: 'echo', prompt: 'end me' })).id);
    }
    const beforeOpening = processCpuMs(apiPid);
    const clients = startSseClients(url, clientsPerPrompt, ids);
    await clients.waitForLine(/^connected$/, 120_000);
    // The last openings' work (their requests' ends, logs) is counted after the api settles.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const before = processCpuMs(apiPid);
    const opening = before - beforeOpening;
    const started = performance.now();
    await Promise.all(
      ids.map((id) =>
        services.events.append(id, {
          type: 'done',
          status: 'succeeded',
          usage: { input: 1, output: 1, details: null },
          duration_ms: 1,
        }),
      ),
    );
    await clients.waitForLine(/^ended$/, 120_000);
    const after = processCpuMs(apiPid);
    await clientsExited(clients);
    const seconds = (performance.now() - started) / 1000;
    const perStream = (ms: number) => `${((ms / streams) * 1000).toFixed(0).padStart(4)} µs`;
    console.log(
      `round ${round}: api CPU per stream opened ${perStream(opening)}, per stream ended ${perStream(after - before)} (all ${streams} ended in ${seconds.toFixed(2)} s)`,
    );
  }
} finally {
  await echoApi.close();
}
process.exit(0);
