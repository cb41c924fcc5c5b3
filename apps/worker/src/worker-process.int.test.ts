import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@llmq/core';
import { createDatabase, createQueuedPrompt, type DatabaseHandle, getPrompt } from '@llmq/db';
import { EchoModel } from '@llmq/plugin-echo';
import { createRedisConnection, EventLog, PromptQueue } from '@llmq/queue';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitFor,
} from '@llmq/testing';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const entry = new URL('./main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let database: DatabaseHandle;
let folder: string;
let commands: Redis;
let subscriber: Redis;
let events: EventLog;
let queue: PromptQueue;
const processes: ServiceProcess[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await createDatabase(testDatabase.url);
  await database.migrate();
  folder = await mkdtemp(join(tmpdir(), 'llmq-worker-'));
  commands = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-test` });
  subscriber = createRedisConnection(testRedis.url, {
    name: `${testRedis.prefix}-sub`,
    blocking: true,
  });
  events = new EventLog(commands, subscriber, { prefix: testRedis.prefix });
  queue = new PromptQueue(commands, { prefix: testRedis.prefix, attempts: 3, backoffMs: 50 });
});

afterEach(async () => {
  for (const process of processes.splice(0)) {
    process.kill('SIGKILL');
    await process.exited;
  }
});

afterAll(async () => {
  await queue.close();
  commands.disconnect();
  subscriber.disconnect();
  await database.close();
  await testDatabase.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

function startWorker(extra: Record<string, string> = {}): ServiceProcess {
  const worker = startServiceProcess(entry, {
    DATABASE_URL: testDatabase.url,
    REDIS_URL: testRedis.url,
    STORAGE_URL: `file://${folder}`,
    LLMQ_QUEUE_PREFIX: testRedis.prefix,
    LLMQ_PLUGINS: '@llmq/plugin-echo',
    LLMQ_LOCK_DURATION_MS: '2000',
    LLMQ_STALLED_INTERVAL_MS: '500',
    LLMQ_RETRY_BACKOFF_MS: '50',
    WORKER_CONCURRENCY: '5',
    // Several workers run here at once: each takes a free port for its metrics.
    LLMQ_METRICS_PORT: '0',
    ...extra,
  });
  processes.push(worker);
  return worker;
}

async function enqueue(prompt: string, options: Record<string, unknown>): Promise<string> {
  const id = newId();
  await createQueuedPrompt(database.db, {
    id,
    model: 'echo',
    prompt,
    options,
    conversationId: newId(),
    attachments: [],
  });
  await queue.add({ promptId: id, model: 'echo' });
  return id;
}

async function ended(id: string) {
  await waitFor(
    async () => {
      const row = await getPrompt(database.db, id);
      return row?.status === 'succeeded' || row?.status === 'failed';
    },
    `prompt ${id} to end`,
    30_000,
  );
  return getPrompt(database.db, id);
}

describe('the worker process', () => {
  it('says it is ready, and what it loaded', async () => {
    const worker = startWorker();
    const ready = JSON.parse(await worker.waitForLine(/"msg":"worker ready"/));
    expect(ready.concurrency).toBe(5);
    expect(worker.lines.some((line) => line.includes('"models":["echo"]'))).toBe(true);
  });

  it('stops at once with a message naming a bad variable', async () => {
    const worker = startServiceProcess(entry, { DATABASE_URL: '', WORKER_CONCURRENCY: 'many' });
    expect(await worker.exited).toBe(1);
    const output = worker.lines.join('\n');
    expect(output).toContain('WORKER_CONCURRENCY');
    expect(output).toContain('DATABASE_URL');
  });

  it('finishes a job on a second worker after the first is killed mid-stream, storing the text once', async () => {
    const first = startWorker();
    await first.waitForLine(/worker ready/);
    const options = { delay_ms: 40, chunk_size: 3 };
    const id = await enqueue('survive a crash', options);
    await waitFor(
      async () =>
        (await events.read(id)).filter((entry) => entry.event.type === 'chunk').length >= 3,
      'chunks from the first worker',
    );
    first.kill('SIGKILL');
    await first.exited;
    const second = startWorker();
    await second.waitForLine(/worker ready/);
    const row = await ended(id);
    const expected = await new EchoModel().prompt('survive a crash', { options });
    expect(row).toMatchObject({ status: 'succeeded', attempts: 2, response: expected.text() });
    const log = await events.read(id);
    const restartAt = log.findIndex((entry) => entry.event.type === 'restart');
    expect(restartAt).toBeGreaterThan(0);
    const after = log
      .slice(restartAt)
      .map((entry) => (entry.event.type === 'chunk' ? entry.event.text : ''))
      .join('');
    expect(after).toBe(expected.text());
    expect(log.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
  });

  it('on SIGTERM finishes running jobs within the grace period and exits 0', async () => {
    const worker = startWorker({ LLMQ_SHUTDOWN_GRACE_MS: '20000' });
    await worker.waitForLine(/worker ready/);
    const id = await enqueue('finish me', { delay_ms: 20, chunk_size: 8 });
    await waitFor(
      async () => (await getPrompt(database.db, id))?.status === 'running',
      'the job to run',
    );
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect((await getPrompt(database.db, id))?.status).toBe('succeeded');
    expect(worker.lines.some((line) => line.includes('worker stopped'))).toBe(true);
  });

  it('on SIGTERM hands back what cannot finish in the grace period; another worker finishes it', async () => {
    const worker = startWorker({ LLMQ_SHUTDOWN_GRACE_MS: '100' });
    await worker.waitForLine(/worker ready/);
    const options = { delay_ms: 20, chunk_size: 4 };
    const id = await enqueue('too long for the grace period', options);
    await waitFor(
      async () => (await getPrompt(database.db, id))?.status === 'running',
      'the job to run',
    );
    worker.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.lines.some((line) => line.includes('handing running jobs back'))).toBe(true);
    expect((await getPrompt(database.db, id))?.status).not.toBe('succeeded');
    startWorker();
    const row = await ended(id);
    const expected = await new EchoModel().prompt('too long for the grace period', { options });
    expect(row).toMatchObject({ status: 'succeeded', response: expected.text() });
  });
});
