import { randomBytes } from 'node:crypto';
import { AsyncModel, ModelRegistry } from '@llmq/core';
import {
  createDatabase,
  type Database,
  type DatabaseHandle,
  deleteProviderKey,
  putProviderKey,
} from '@llmq/db';
import { createRedisConnection } from '@llmq/queue';
import { createTestDatabase, createTestRedis, type TestDatabase, waitFor } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ProviderKeys } from './provider-keys.ts';
import { SecretBox } from './secret-box.ts';

/** A model that needs a provider key of the given name; it is never run here. */
class KeyedModel extends AsyncModel {
  readonly modelId: string;
  readonly optionsSchema = z.object({});
  override readonly needsKey: string;
  override readonly keyEnvVar: string;

  constructor(keyName: string) {
    super();
    this.modelId = `needs-${keyName}`;
    this.needsKey = keyName;
    this.keyEnvVar = `${keyName.toUpperCase()}_API_KEY`;
  }

  // Only looked at, never run.
  async *execute(): AsyncGenerator<string, void, undefined> {}
}

const openai = new KeyedModel('openai');
const anthropic = new KeyedModel('anthropic');
const models = new ModelRegistry();
models.register(openai);
models.register(anthropic);
const box = new SecretBox(randomBytes(32));
const openaiKey = 'sk-openai-0123456789abcdef';
const anthropicKey = 'sk-ant-0123456789abcdef';
/** Longer than any of these tests: a change seen sooner came through the Redis message. */
const hour = 3_600_000;

const testRedis = createTestRedis();
let testDatabase: TestDatabase;
let database: DatabaseHandle;
const connections: Redis[] = [];
const opened: ProviderKeys[] = [];

beforeAll(async () => {
  testDatabase = await createTestDatabase();
  database = await createDatabase(testDatabase.url, { maxConnections: 4 });
  await database.migrate();
});

afterEach(async () => {
  for (const keys of opened.splice(0)) await keys.close();
  for (const name of ['openai', 'anthropic']) await deleteProviderKey(database.db, name);
});

afterAll(async () => {
  for (const connection of connections) connection.disconnect();
  await database?.close();
  await testDatabase?.drop();
  await testRedis.cleanup();
});

interface Process {
  readonly keys: ProviderKeys;
  /** What it logged, one parsed JSON line each. */
  readonly logged: Array<Record<string, unknown>>;
}

/** One api or worker process's `ProviderKeys`, with its own Redis connections, started. */
async function openProcess(
  options: { maxAgeMs?: number; db?: Database; prefix?: string } = {},
): Promise<Process> {
  const publisher = createRedisConnection(testRedis.url, { name: `${testRedis.prefix}-publish` });
  const subscriber = createRedisConnection(testRedis.url, {
    name: `${testRedis.prefix}-subscribe`,
    blocking: true,
  });
  connections.push(publisher, subscriber);
  const logged: Array<Record<string, unknown>> = [];
  const logger = pino(
    { level: 'info' },
    { write: (line: string) => logged.push(JSON.parse(line)) },
  );
  const keys = new ProviderKeys({
    db: options.db ?? database.db,
    models,
    box,
    publisher,
    subscriber,
    prefix: options.prefix ?? testRedis.prefix,
    logger,
    maxAgeMs: options.maxAgeMs ?? hour,
  });
  await keys.start();
  opened.push(keys);
  return { keys, logged };
}

describe('ProviderKeys across processes', () => {
  it('a key one process stores or deletes is used or dropped by another through the Redis message, long before maxAgeMs', async () => {
    const api = await openProcess();
    const worker = await openProcess();
    // The worker has read the table (no key) and keeps what it read for an hour.
    expect(await worker.keys.keyFor(openai)).toBeUndefined();

    await api.keys.set('openai', openaiKey, 'admin');
    await waitFor(async () => (await worker.keys.keyFor(openai)) === openaiKey, 'the stored key');

    await api.keys.delete('openai');
    await waitFor(
      async () => (await worker.keys.keyFor(openai)) === undefined,
      'the key to be dropped',
    );
    expect(await worker.keys.availability(openai)).toMatchObject({ available: false });
  });

  it('with the message lost, another process uses a change once maxAgeMs has passed, and not before with a longer bound', async () => {
    const shortBound = await openProcess({ maxAgeMs: 100 });
    const longBound = await openProcess();
    expect(await shortBound.keys.keyFor(openai)).toBeUndefined();
    expect(await longBound.keys.keyFor(openai)).toBeUndefined();

    // Stored without an announcement, as when the message is published while a subscriber
    // reconnects.
    await putProviderKey(database.db, {
      name: 'openai',
      encrypted: box.seal('openai', openaiKey),
      lastFour: 'cdef',
      setBy: null,
    });
    await waitFor(
      async () => (await shortBound.keys.keyFor(openai)) === openaiKey,
      'the key read again after maxAgeMs',
    );
    expect(await longBound.keys.keyFor(openai)).toBeUndefined();
  });

  it('does not keep a failed read: the next use reads the table again', async () => {
    const api = await openProcess();
    await api.keys.set('openai', openaiKey, 'admin');
    const outage = { on: true };
    // The database away: every select fails while the outage lasts.
    const flaky = new Proxy(database.db, {
      get(target, property) {
        if (property === 'select' && outage.on) {
          return () => {
            throw new Error('connection refused');
          };
        }
        const value = Reflect.get(target, property);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const worker = await openProcess({ db: flaky });
    await expect(worker.keys.keyFor(openai)).rejects.toThrow('connection refused');
    outage.on = false;
    expect(await worker.keys.keyFor(openai)).toBe(openaiKey);
  });

  it('skips a stored key that does not open (tampered with), logging its name, and uses the others', async () => {
    const sealed = box.seal('openai', openaiKey);
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('AA') ? 'BB' : 'AA'}`;
    await putProviderKey(database.db, {
      name: 'openai',
      encrypted: tampered,
      lastFour: 'cdef',
      setBy: null,
    });
    await putProviderKey(database.db, {
      name: 'anthropic',
      encrypted: box.seal('anthropic', anthropicKey),
      lastFour: 'cdef',
      setBy: null,
    });
    const worker = await openProcess();
    expect(await worker.keys.keyFor(openai)).toBeUndefined();
    expect(await worker.keys.keyFor(anthropic)).toBe(anthropicKey);
    expect(await worker.keys.availability(openai)).toMatchObject({ available: false });
    const warnings = worker.logged.filter((line) => line.msg === 'stored provider key not used');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, name: 'openai' });
    expect(String(warnings[0]?.error)).toContain('does not open with this process');
    expect(JSON.stringify(worker.logged)).not.toContain(openaiKey);
  });
});
