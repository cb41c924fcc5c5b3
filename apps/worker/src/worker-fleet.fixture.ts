import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newId } from '@llmq/core';
import {
  batchCounts,
  batchItemsPage,
  createBatch,
  createDatabase,
  createQueuedPrompt,
  type DatabaseHandle,
  getPrompt,
  type ResponseRow,
} from '@llmq/db';
import { ControlChannel, createRedisConnection, EventLog, PromptQueue } from '@llmq/queue';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
  waitFor,
  workerNodeFlags,
} from '@llmq/testing';
import type { Redis } from 'ioredis';

const entry = new URL('./main.ts', import.meta.url).pathname;

export interface WorkerFleetOptions {
  /** Redis for the workers and the test (default: the machine's, under a random prefix). */
  readonly redisUrl?: string;
  /** Where the workers reach PostgreSQL, when not directly (a proxy the test can cut). */
  readonly workerDatabasePort?: number;
}

export interface EchoInput {
  readonly prompt: string;
  readonly options: Record<string, unknown>;
}

/**
 * Worker processes (`apps/worker`) on a database of their own and a random Redis prefix, with
 * the test's own view of the rows, the event logs and the queue.
 */
export interface WorkerFleet {
  readonly database: DatabaseHandle;
  /** What an api process of this fleet is started with: the same database, Redis and prefix. */
  readonly settings: {
    readonly DATABASE_URL: string;
    readonly REDIS_URL: string;
    readonly STORAGE_URL: string;
    readonly LLMQ_QUEUE_PREFIX: string;
  };
  readonly events: EventLog;
  readonly queue: PromptQueue;
  /** Where api processes send cancels to the workers. */
  readonly control: ControlChannel;
  /** Start a worker process (echo, short locks); killed at `killAll` or `close`. */
  start(extra?: Record<string, string>): ServiceProcess;
  /** SIGKILL every worker process still running. */
  killAll(): Promise<void>;
  /** Queue one echo prompt; returns its id. */
  enqueue(input: EchoInput): Promise<string>;
  /** Queue echo prompts as one batch, written in one transaction; returns the batch id. */
  enqueueBatch(inputs: readonly EchoInput[]): Promise<string>;
  /** The prompt's row once it has succeeded or failed. */
  ended(promptId: string, timeoutMs?: number): Promise<ResponseRow>;
  /** The batch's rows in item order once none is queued or running. */
  batchEnded(batchId: string, timeoutMs: number): Promise<ResponseRow[]>;
  close(): Promise<void>;
}

export async function openWorkerFleet(options: WorkerFleetOptions = {}): Promise<WorkerFleet> {
  const testRedis = createTestRedis();
  const redisUrl = options.redisUrl ?? testRedis.url;
  const testDatabase: TestDatabase = await createTestDatabase();
  const database = await createDatabase(testDatabase.url);
  await database.migrate();
  const workerDatabaseUrl = new URL(testDatabase.url);
  if (options.workerDatabasePort !== undefined) {
    workerDatabaseUrl.port = String(options.workerDatabasePort);
  }
  const folder = await mkdtemp(join(tmpdir(), 'llmq-worker-'));
  const commands: Redis = createRedisConnection(redisUrl, { name: `${testRedis.prefix}-test` });
  const subscriber: Redis = createRedisConnection(redisUrl, {
    name: `${testRedis.prefix}-sub`,
    blocking: true,
  });
  // The test's own connections live through the outages it causes.
  commands.on('error', () => undefined);
  subscriber.on('error', () => undefined);
  const events = new EventLog(commands, subscriber, { prefix: testRedis.prefix });
  const queue = new PromptQueue(commands, { prefix: testRedis.prefix, attempts: 3, backoffMs: 50 });
  const control = new ControlChannel(commands, subscriber, testRedis.prefix);
  const processes: ServiceProcess[] = [];

  const killAll = async () => {
    for (const process of processes.splice(0)) {
      process.kill('SIGKILL');
      await process.exited;
    }
  };

  return {
    database,
    settings: {
      DATABASE_URL: workerDatabaseUrl.toString(),
      REDIS_URL: redisUrl,
      STORAGE_URL: `file://${folder}`,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
    },
    events,
    queue,
    control,
    start: (extra = {}) => {
      const worker = startServiceProcess(
        entry,
        {
          DATABASE_URL: workerDatabaseUrl.toString(),
          REDIS_URL: redisUrl,
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
        },
        [],
        workerNodeFlags,
      );
      processes.push(worker);
      return worker;
    },
    killAll,
    enqueue: async (input) => {
      const id = newId();
      await createQueuedPrompt(database.db, {
        id,
        model: 'echo',
        prompt: input.prompt,
        options: input.options,
        conversationId: newId(),
        attachments: [],
      });
      await queue.add({ promptId: id, model: 'echo' });
      return id;
    },
    enqueueBatch: async (inputs) => {
      const batchId = newId();
      const items = inputs.map((input) => ({
        id: newId(),
        model: 'echo',
        prompt: input.prompt,
        options: input.options,
        attachments: [],
      }));
      await createBatch(database.db, { id: batchId, model: 'echo', template: {}, items });
      await queue.addBulk(items.map((item) => ({ promptId: item.id, model: 'echo' })));
      return batchId;
    },
    ended: async (promptId, timeoutMs = 30_000) => {
      await waitFor(
        async () => {
          const row = await getPrompt(database.db, promptId);
          return row?.status === 'succeeded' || row?.status === 'failed';
        },
        `prompt ${promptId} to end`,
        timeoutMs,
      );
      return (await getPrompt(database.db, promptId)) as ResponseRow;
    },
    batchEnded: async (batchId, timeoutMs) => {
      try {
        await waitFor(
          async () => {
            const counts = await batchCounts(database.db, batchId);
            return counts.queued === 0 && counts.running === 0;
          },
          `batch ${batchId} to end`,
          timeoutMs,
          200,
        );
      } catch (error) {
        // What the batch and the workers were doing when it did not end: the clue to the race.
        const counts = await batchCounts(database.db, batchId);
        const tails = processes.map((worker) => worker.lines.slice(-15).join('\n'));
        throw new Error(
          `${(error as Error).message}\ncounts: ${JSON.stringify(counts)}\n${tails.map((tail, index) => `worker ${index}, last lines:\n${tail}`).join('\n')}`,
        );
      }
      return batchItemsPage(database.db, batchId, -1, 1_000_000);
    },
    close: async () => {
      await killAll();
      await queue.close();
      commands.disconnect();
      subscriber.disconnect();
      await database.close();
      await testDatabase.drop();
      if (options.redisUrl === undefined) await testRedis.cleanup();
      await rm(folder, { recursive: true, force: true });
    },
  };
}

/** How many times each prompt was stored as succeeded, by the worker processes' own account. */
export function successesByPrompt(processes: readonly ServiceProcess[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const process of processes) {
    for (const line of process.lines) {
      if (!line.includes('"msg":"prompt succeeded"')) continue;
      const { promptId } = JSON.parse(line) as { promptId: string };
      counts.set(promptId, (counts.get(promptId) ?? 0) + 1);
    }
  }
  return counts;
}
