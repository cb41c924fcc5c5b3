import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { newId } from '@llmq/core';
import { createDatabase, type DatabaseHandle, executeRows, upsertAttachment } from '@llmq/db';
import { BatchLog, createRedisConnection, EventLog } from '@llmq/queue';
import { type BlobStore, createBlobStore } from '@llmq/storage';
import {
  createTestDatabase,
  createTestRedis,
  type LocalS3Server,
  startLocalS3Server,
  type TestDatabase,
} from '@llmq/testing';
import { sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll } from 'vitest';
import type { RetentionServices } from './retention-pass.ts';

export type BlobDriver = 'filesystem' | 's3';

export interface RetentionHarness {
  readonly services: RetentionServices;
  readonly database: DatabaseHandle;
  readonly redis: Redis;
  readonly prefix: string;
  /** Store bytes and their attachment row, touched `ageMs` ago. */
  attachment(text: string, ageMs: number): Promise<string>;
  /** A conversation of ended (or not) turns, each ended `endedAgoMs` ago, with attachments. */
  conversation(
    turns: ReadonlyArray<{
      status?: string;
      endedAgoMs?: number;
      /** When the turn was stored (default: now); a past turn has no end of its own. */
      createdAgoMs?: number;
      attachments?: readonly string[];
      owner?: string | null;
    }>,
  ): Promise<{ id: string; turnIds: string[] }>;
  /**
   * A batch with items (and a provider batch). Its items ended `endedAgoMs` ago (succeeded);
   * without it they are running. The batch row's `completed_at` is set only for an ended status:
   * a batch stored `running` whose items all ended is one nobody read since.
   */
  batch(options: {
    status: string;
    endedAgoMs?: number;
    items?: number;
    attachments?: readonly string[];
    outputExpiresAfterSeconds?: number;
  }): Promise<{ id: string; itemIds: string[] }>;
  file(options: {
    attachmentId: string;
    createdAgoMs: number;
    expiresInMs?: number;
    owner?: string | null;
  }): Promise<string>;
  grant(attachmentId: string, owner: string, createdAgoMs: number): Promise<void>;
  delivery(options: {
    status: string;
    endedAgoMs?: number;
    createdAgoMs: number;
    /** The prompt or batch it tells of (default: one that does not exist). */
    subjectId?: string;
  }): Promise<string>;
  ids(table: string, column?: string): Promise<string[]>;
  exec(query: ReturnType<typeof sql>): Promise<unknown[]>;
}

const ago = (ms: number) => sql`now() - ${ms} * interval '1 millisecond'`;

/** A database, Redis logs and a blob store (filesystem or S3) for retention's tests. */
export function useRetentionHarness(driver: BlobDriver): () => RetentionHarness {
  let harness: RetentionHarness | undefined;
  let testDatabase: TestDatabase;
  let database: DatabaseHandle;
  let s3: LocalS3Server | undefined;
  let folder: string | undefined;
  const testRedis = createTestRedis();
  const connections: Redis[] = [];
  let blobs: BlobStore;

  beforeAll(async () => {
    testDatabase = await createTestDatabase();
    database = await createDatabase(testDatabase.url, { maxConnections: 6 });
    await database.migrate();
    if (driver === 's3') {
      s3 = await startLocalS3Server();
      blobs = await createBlobStore(s3.storageUrl(s3.uniqueBucketName(), { createBucket: 'true' }));
    } else {
      folder = await mkdtemp(join(tmpdir(), 'llmq-retention-'));
      blobs = await createBlobStore(`file://${folder}`);
    }
    await blobs.check();
    const commands = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-c` });
    const subscriber = createRedisConnection(testRedis.url, {
      name: `${testRedis.prefix}-s`,
      blocking: true,
    });
    connections.push(commands, subscriber);
    const events = new EventLog(commands, subscriber, {
      prefix: testRedis.prefix,
      ttlSeconds: 600,
    });
    const batchLog = new BatchLog(commands, testRedis.prefix);
    const db = database.db;
    const exec = (query: ReturnType<typeof sql>) => executeRows<unknown>(db, query);
    harness = {
      services: { db, blobs, events, batchLog },
      database,
      redis: commands,
      prefix: testRedis.prefix,
      exec,
      attachment: async (text, ageMs) => {
        const stored = await blobs.put(Readable.from([Buffer.from(text)]), {
          declaredType: 'text/plain',
        });
        await upsertAttachment(db, {
          id: stored.id,
          type: 'text/plain',
          size: stored.size,
          storageKey: stored.key,
        });
        await exec(sql`update attachments set touched_at = ${ago(ageMs)} where id = ${stored.id}`);
        return stored.id;
      },
      conversation: async (turns) => {
        const id = newId();
        const owner = turns[0]?.owner ?? null;
        await exec(
          sql`insert into conversations (id, model, owner) values (${id}, 'echo', ${owner})`,
        );
        const turnIds: string[] = [];
        for (const turn of turns) {
          const turnId = newId();
          turnIds.push(turnId);
          const status = turn.status ?? 'succeeded';
          const completed = turn.endedAgoMs === undefined ? sql`null` : ago(turn.endedAgoMs);
          const created = turn.createdAgoMs === undefined ? sql`now()` : ago(turn.createdAgoMs);
          await exec(sql`insert into responses (id, conversation_id, model, prompt, options, status, owner, completed_at, created_at)
            values (${turnId}, ${id}, 'echo', 'hi', '{}'::jsonb, ${status}, ${owner}, ${completed}, ${created})`);
          for (const [position, attachmentId] of (turn.attachments ?? []).entries()) {
            await exec(sql`insert into prompt_attachments (response_id, attachment_id, position)
              values (${turnId}, ${attachmentId}, ${position})`);
          }
        }
        return { id, turnIds };
      },
      batch: async (options) => {
        const id = newId();
        const ended = options.endedAgoMs === undefined ? sql`null` : ago(options.endedAgoMs);
        const batchEnded = ['completed', 'failed', 'cancelled'].includes(options.status)
          ? ended
          : sql`null`;
        const itemStatus = options.endedAgoMs === undefined ? 'running' : 'succeeded';
        const created =
          options.endedAgoMs === undefined ? sql`now()` : ago(options.endedAgoMs + 60_000);
        const outputExpires =
          options.outputExpiresAfterSeconds === undefined
            ? sql`null`
            : sql`${created} + ${options.outputExpiresAfterSeconds} * interval '1 second'`;
        const items = options.items ?? 2;
        await exec(sql`insert into batches (id, model, status, total, created_at, completed_at, output_expires_at)
          values (${id}, 'echo', ${options.status}, ${items}, ${created}, ${batchEnded}, ${outputExpires})`);
        const providerBatchId = newId();
        await exec(sql`insert into provider_batches (id, batch_id, provider, model, status)
          values (${providerBatchId}, ${id}, 'openai', 'echo', 'ended')`);
        const itemIds: string[] = [];
        for (let index = 0; index < items; index += 1) {
          const itemId = newId();
          itemIds.push(itemId);
          await exec(sql`insert into responses (id, batch_id, batch_index, model, prompt, options, status, completed_at, provider_batch_id)
            values (${itemId}, ${id}, ${index}, 'echo', 'hi', '{}'::jsonb, ${itemStatus}, ${ended}, ${providerBatchId})`);
          const attachmentId = options.attachments?.[index];
          if (attachmentId) {
            await exec(sql`insert into prompt_attachments (response_id, attachment_id, position)
              values (${itemId}, ${attachmentId}, 0)`);
          }
        }
        return { id, itemIds };
      },
      file: async (options) => {
        const id = `file-${newId()}`;
        const expires =
          options.expiresInMs === undefined
            ? sql`null`
            : sql`now() + ${options.expiresInMs} * interval '1 millisecond'`;
        await exec(sql`insert into files (id, filename, purpose, attachment_id, bytes, owner, created_at, expires_at)
          values (${id}, 'input.jsonl', 'batch', ${options.attachmentId}, 1, ${options.owner ?? null}, ${ago(options.createdAgoMs)}, ${expires})`);
        return id;
      },
      grant: async (attachmentId, owner, createdAgoMs) => {
        await exec(sql`insert into attachment_owners (attachment_id, owner, created_at)
          values (${attachmentId}, ${owner}, ${ago(createdAgoMs)})`);
      },
      delivery: async (options) => {
        const id = newId();
        const ended = options.endedAgoMs === undefined ? sql`null` : ago(options.endedAgoMs);
        await exec(sql`insert into webhook_deliveries (id, event_type, subject_kind, subject_id, url, payload, status, created_at, ended_at)
          values (${id}, 'prompt.succeeded', 'prompt', ${options.subjectId ?? newId()}, 'https://example.com/hook', '{}', ${options.status}, ${ago(options.createdAgoMs)}, ${ended})`);
        await exec(sql`insert into webhook_attempts (delivery_id, attempt, started_at, duration_ms, status_code)
          values (${id}, 1, ${ago(options.createdAgoMs)}, 10, 200)`);
        return id;
      },
      ids: async (table, column = 'id') => {
        const rows = (await exec(
          sql`select ${sql.identifier(column)} as id from ${sql.identifier(table)} order by 1`,
        )) as Array<{ id: string }>;
        return rows.map((row) => row.id);
      },
    };
  });

  afterAll(async () => {
    for (const connection of connections) connection.disconnect();
    await database?.close();
    await testDatabase?.drop();
    await testRedis.cleanup();
    await blobs?.close();
    await s3?.close();
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  return () => {
    if (!harness) throw new Error('the retention harness is set up in beforeAll');
    return harness;
  };
}
