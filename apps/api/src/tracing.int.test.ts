import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitFor,
  workerNodeFlags,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// An api and a worker process with traces on, exporting to a local OTLP/HTTP receiver (what a
// collector would be): one trace from the HTTP request through the queue to the job's end.

interface ReceivedSpan {
  readonly service: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string;
  readonly name: string;
}

interface OtlpBody {
  resourceSpans?: Array<{
    resource?: { attributes?: Array<{ key: string; value: { stringValue?: string } }> };
    scopeSpans?: Array<{
      spans?: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string }>;
    }>;
  }>;
}

const apiEntry = new URL('./main.ts', import.meta.url).pathname;
const workerEntry = new URL('../../worker/src/main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
const spans: ReceivedSpan[] = [];
let receiver: Server;
let database: TestDatabase;
let folder: string;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as OtlpBody;
      for (const resource of body.resourceSpans ?? []) {
        const service =
          resource.resource?.attributes?.find((attribute) => attribute.key === 'service.name')
            ?.value.stringValue ?? '';
        for (const scope of resource.scopeSpans ?? []) {
          for (const span of scope.spans ?? []) {
            spans.push({ service, parentSpanId: span.parentSpanId ?? '', ...span });
          }
        }
      }
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end('{}');
    });
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-tracing-'));
});

afterAll(async () => {
  for (const process of processes) process.kill('SIGKILL');
  await Promise.all(processes.map((process) => process.exited));
  receiver.close();
  await testRedis.cleanup();
  await database.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('traces', () => {
  it('follow a prompt from its HTTP request through the queue to the worker that ran it', async () => {
    const shared = {
      DATABASE_URL: database.url,
      REDIS_URL: testRedis.url,
      STORAGE_URL: `file://${folder}`,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`,
      LOG_LEVEL: 'info',
    };
    const api = startServiceProcess(apiEntry, {
      ...shared,
      PORT: '0',
      LLMQ_EMBEDDED_WORKER: 'false',
    });
    const worker = startServiceProcess(
      workerEntry,
      { ...shared, LLMQ_METRICS_PORT: '0' },
      [],
      workerNodeFlags,
    );
    processes.push(api, worker);
    const { url } = JSON.parse(await api.waitForLine(/llmq listening on/, 60_000)) as {
      url: string;
    };
    await worker.waitForLine(/worker ready/, 60_000);

    const traceId = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const accepted = (await (
      await fetch(`${url}/v1/prompts`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          traceparent: `00-${traceId}-${callerSpan}-01`,
        },
        body: JSON.stringify({ model: 'echo', prompt: 'trace me' }),
      })
    ).json()) as { id: string };
    await waitFor(
      async () =>
        ((await (await fetch(`${url}/v1/prompts/${accepted.id}`)).json()) as { status: string })
          .status === 'succeeded',
      'the prompt to succeed',
    );
    // Stopping flushes what each process still holds.
    api.kill('SIGTERM');
    worker.kill('SIGTERM');
    expect(await api.exited).toBe(0);
    expect(await worker.exited).toBe(0);

    const trace = spans.filter((span) => span.traceId === traceId);
    const server = trace.find((span) => span.name === 'POST /v1/prompts');
    expect(server, JSON.stringify(trace)).toBeDefined();
    expect(server?.service).toBe('llmq-api');
    expect(server?.parentSpanId).toBe(callerSpan);
    const fromWorker = trace.filter((span) => span.service === 'llmq-worker');
    expect(fromWorker.length, JSON.stringify(trace)).toBeGreaterThan(0);
    // Every span of the trace hangs off another of its spans, or off the caller's.
    const ids = new Set([callerSpan, ...trace.map((span) => span.spanId)]);
    for (const span of trace) expect(ids, span.name).toContain(span.parentSpanId);
  });
});
