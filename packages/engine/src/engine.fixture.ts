import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { defaultChainLimit } from '@llmq/contracts';
import { schemaIdOf } from '@llmq/contracts/schema-id';
import { type Attachment, type JsonSchema, ModelRegistry, newId } from '@llmq/core';
import {
  createDatabase,
  createQueuedPrompt,
  type DatabaseHandle,
  type NewAttachment,
  type NewToolResult,
  type StoredTool,
} from '@llmq/db';
import { EchoModel } from '@llmq/plugin-echo';
import { createRedisConnection, EventLog, PromptQueue } from '@llmq/queue';
import { createBlobStore, type FilesystemBlobStore } from '@llmq/storage';
import { createTestDatabase, createTestRedis, type TestDatabase } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll } from 'vitest';
import type { WorkerDependencies } from './run/prompt-worker.ts';
import { type PromptWorker, startPromptWorker } from './run/prompt-worker.ts';

export interface EngineHarness {
  readonly deps: WorkerDependencies;
  readonly database: DatabaseHandle;
  readonly databaseUrl: string;
  readonly redisUrl: string;
  readonly prefix: string;
  readonly blobFolder: string;
  readonly queue: PromptQueue;
  /** Write a queued prompt (with its attachments stored) and add its job. */
  enqueue(input: EnqueueInput): Promise<string>;
  /** A worker in this process with short locks, closed after the test. */
  startWorker(concurrency?: number, overrides?: Partial<WorkerDependencies>): PromptWorker;
}

export interface EnqueueInput {
  readonly prompt: string;
  readonly model?: string;
  readonly system?: string;
  readonly options?: Record<string, unknown>;
  readonly conversationId?: string;
  readonly attachments?: readonly Attachment[];
  /** The JSON Schema the answer must match, stored and linked as submit does. */
  readonly schema?: JsonSchema;
  /** The tools offered: the prompt then runs as a chain, as submit makes it. */
  readonly tools?: readonly StoredTool[];
  /** The results it carries, answering the conversation's last turn's calls. */
  readonly toolResults?: readonly NewToolResult[];
  readonly chainLimit?: number;
}

/** Real PostgreSQL, Redis (random prefix) and a blob folder, for one test file. */
export function useEngineHarness(): () => EngineHarness {
  let harness: EngineHarness | undefined;
  let testDatabase: TestDatabase;
  const testRedis = createTestRedis();
  const connections: Redis[] = [];
  const workers: PromptWorker[] = [];
  let cleanupFolder: () => Promise<void> = async () => undefined;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    const database = await createDatabase(testDatabase.url, { maxConnections: 10 });
    await database.migrate();
    const blobFolder = await mkdtemp(join(tmpdir(), 'llmq-engine-blobs-'));
    cleanupFolder = () => rm(blobFolder, { recursive: true, force: true });
    const blobs = (await createBlobStore(`file://${blobFolder}`)) as FilesystemBlobStore;
    const commands = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-commands` });
    const subscriber = createRedisConnection(testRedis.url, {
      name: `${testRedis.prefix}-subscriber`,
      blocking: true,
    });
    connections.push(commands, subscriber);
    const models = new ModelRegistry();
    models.register(new EchoModel());
    const events = new EventLog(commands, subscriber, {
      prefix: testRedis.prefix,
      ttlSeconds: 600,
    });
    const queue = new PromptQueue(commands, {
      prefix: testRedis.prefix,
      attempts: 3,
      backoffMs: 50,
    });
    const deps: WorkerDependencies = {
      db: database.db,
      blobs,
      models,
      events,
      logger: pino({ level: 'silent' }),
      coalesceMs: 2,
    };
    harness = {
      deps,
      database,
      databaseUrl: testDatabase.url,
      redisUrl: testRedis.url,
      prefix: testRedis.prefix,
      blobFolder,
      queue,
      enqueue: async (input) => {
        const stored: NewAttachment[] = [];
        for (const attachment of input.attachments ?? []) {
          const blob = await blobs.put(Readable.from([await attachment.contentBytes()]), {
            declaredType: attachment.type,
          });
          stored.push({
            id: blob.id,
            type: blob.type ?? 'application/octet-stream',
            size: blob.size,
            storageKey: blob.key,
          });
        }
        const id = newId();
        await createQueuedPrompt(database.db, {
          id,
          model: input.model ?? 'echo',
          prompt: input.prompt,
          system: input.system,
          options: input.options ?? {},
          conversationId: input.conversationId ?? newId(),
          attachments: stored,
          schema: input.schema && { id: schemaIdOf(input.schema), content: { ...input.schema } },
          tools: input.tools ?? (input.toolResults ? [] : undefined),
          toolResults: input.toolResults,
          chainLimit:
            input.tools || input.toolResults ? (input.chainLimit ?? defaultChainLimit) : undefined,
        });
        await events.append(id, { type: 'status', status: 'queued', attempt: 0 });
        await queue.add({ promptId: id, model: input.model ?? 'echo' });
        return id;
      },
      startWorker: (concurrency = 10, overrides = {}) => {
        const connection = createRedisConnection(testRedis.url, {
          name: `${testRedis.prefix}-worker`,
          blocking: true,
        });
        connections.push(connection);
        const worker = startPromptWorker(
          { ...deps, ...overrides },
          {
            connection,
            prefix: testRedis.prefix,
            concurrency,
            backoffMs: 50,
            lockDurationMs: 2_000,
            stalledIntervalMs: 500,
          },
        );
        workers.push(worker);
        return worker;
      },
    };
  });

  afterEach(async () => {
    for (const worker of workers.splice(0)) await worker.close(1_000);
  });

  afterAll(async () => {
    await harness?.queue.close();
    for (const connection of connections) connection.disconnect();
    await harness?.database.close();
    await testDatabase?.drop();
    await testRedis.cleanup();
    await cleanupFolder();
  });

  return () => {
    if (!harness) throw new Error('the harness is not ready yet');
    return harness;
  };
}
