import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelRegistry } from '@llmq/core';
import { createDatabase, type DatabaseHandle } from '@llmq/db';
import type { WorkerDependencies } from '@llmq/engine';
import { EchoModel } from '@llmq/plugin-echo';
import { createRedisConnection, EventLog, PromptQueue } from '@llmq/queue';
import { createBlobStore } from '@llmq/storage';
import { createTestDatabase, createTestRedis } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { pino } from 'pino';

export interface BenchServices {
  readonly database: DatabaseHandle;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  /** Where this run's blobs go (a fresh folder). */
  readonly blobFolder: string;
  readonly commands: Redis;
  readonly events: EventLog;
  readonly queue: PromptQueue;
  readonly deps: WorkerDependencies;
  /** A new blocking connection for a BullMQ worker. */
  workerConnection(): Redis;
  close(): Promise<void>;
}

/** A fresh database, Redis prefix and blob folder, as the tests use, for one benchmark run. */
export async function openBenchServices(coalesceMs = 5): Promise<BenchServices> {
  const testDatabase = await createTestDatabase();
  const database = await createDatabase(testDatabase.url, { maxConnections: 10 });
  await database.migrate();
  const testRedis = createTestRedis();
  const folder = await mkdtemp(join(tmpdir(), 'llmq-bench-'));
  const connections: Redis[] = [];
  const connect = (name: string, blocking = false) => {
    const connection = createRedisConnection(testRedis.url, { name, blocking });
    connections.push(connection);
    return connection;
  };
  const commands = connect(`${testRedis.prefix}-commands`);
  // The logs on a connection of their own, as openServices wires them: on the queue's, ioredis
  // copies the queue's dozens of scripts into every pipeline the appends make.
  const logs = connect(`${testRedis.prefix}-logs`);
  const subscriber = connect(`${testRedis.prefix}-subscriber`, true);
  const events = new EventLog(logs, subscriber, { prefix: testRedis.prefix });
  const queue = new PromptQueue(commands, { prefix: testRedis.prefix });
  const models = new ModelRegistry();
  models.register(new EchoModel());
  return {
    database,
    databaseUrl: testDatabase.url,
    redisUrl: testRedis.url,
    prefix: testRedis.prefix,
    blobFolder: folder,
    commands,
    events,
    queue,
    deps: {
      db: database.db,
      blobs: await createBlobStore(`file://${folder}`),
      models,
      events,
      logger: pino({ level: 'silent' }),
      coalesceMs,
    },
    workerConnection: () => connect(`${testRedis.prefix}-worker`, true),
    close: async () => {
      await queue.close();
      for (const connection of connections) connection.disconnect();
      await database.close();
      await testDatabase.drop();
      await testRedis.cleanup();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
