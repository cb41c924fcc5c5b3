import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqApiError, LlmqClient } from '@llmq/client';
import { countRowsByTable, listProviderKeys } from '@llmq/db';
import { createRedisConnection, PromptQueue } from '@llmq/queue';
import {
  freePort,
  type OpenAICompatibleServer,
  type ServiceProcess,
  startOpenAICompatibleServer,
  startServiceProcess,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openWorkerFleet, type WorkerFleet } from './worker-fleet.fixture.ts';

const apiEntry = new URL('../../api/src/main.ts', import.meta.url).pathname;
const adminKey = 'admin-key-of-the-provider-keys-test';
const providerKey = 'sk-stored-in-postgres-0123456789';

let fleet: WorkerFleet;
let openai: OpenAICompatibleServer;
let api: ServiceProcess;
let client: LlmqClient;
let queue: PromptQueue;
let dataFolder: string;
/** What the api and every worker share: the plugins, a provider without its key, the secret. */
let settings: Record<string, string>;
const redisConnections: Array<{ disconnect(): void }> = [];

beforeAll(async () => {
  fleet = await openWorkerFleet();
  openai = await startOpenAICompatibleServer();
  dataFolder = await mkdtemp(join(tmpdir(), 'llmq-provider-keys-'));
  settings = {
    LLMQ_PLUGINS: '@llmq/plugin-echo,@llmq/plugin-openai',
    OPENAI_BASE_URL: openai.baseUrl,
    LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'local-text', stream: false }]),
    LLMQ_SECRET_KEY: randomBytes(32).toString('hex'),
  };
  const port = await freePort();
  api = startServiceProcess(apiEntry, {
    ...fleet.settings,
    ...settings,
    LLMQ_API_KEYS: adminKey,
    LLMQ_DATA_DIR: dataFolder,
    LLMQ_EMBEDDED_WORKER: 'false',
    LLMQ_PRIVATE_REDIS: 'false',
    HOST: '127.0.0.1',
    PORT: String(port),
  });
  await api.waitForLine(/llmq listening on/, 60_000);
  client = new LlmqClient({ baseUrl: `http://127.0.0.1:${port}`, apiKey: adminKey });
  const connection = createRedisConnection(fleet.settings.REDIS_URL, {
    name: 'provider-keys-test',
  });
  redisConnections.push(connection);
  queue = new PromptQueue(connection, {
    prefix: fleet.settings.LLMQ_QUEUE_PREFIX,
    attempts: 3,
    backoffMs: 50,
    models: ['echo', 'local-text'],
  });
}, 120_000);

afterAll(async () => {
  api?.kill('SIGKILL');
  await api?.exited;
  await queue?.close();
  for (const connection of redisConnections) connection.disconnect();
  await fleet?.close();
  await openai?.close();
  if (dataFolder) await rm(dataFolder, { recursive: true, force: true });
});

async function startWorker(): Promise<ServiceProcess> {
  const worker = fleet.start(settings);
  await worker.waitForLine(/worker ready/, 60_000);
  return worker;
}

/** Run `work` while the model's queue hands no job to any worker. */
async function whileQueueIsPaused<T>(model: string, work: () => Promise<T>): Promise<T> {
  const modelQueue = queue.queueFor(model);
  await modelQueue.pause();
  try {
    return await work();
  } finally {
    await modelQueue.resume();
  }
}

describe('provider keys across the fleet', () => {
  it('refuses a prompt for a model without its key, and a key an admin stores reaches a running worker without a restart', async () => {
    const worker = await startWorker();
    const unavailable = (await client.models()).find((model) => model.id === 'local-text');
    expect(unavailable).toMatchObject({ available: false });
    expect(unavailable?.unavailable_reason).toContain('llmq provider-keys set openai');

    const rowsBefore = await countRowsByTable(fleet.database.db);
    const refused = await client
      .createPrompt({ model: 'local-text', prompt: 'hi' })
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(LlmqApiError);
    expect((refused as LlmqApiError).status).toBe(422);
    expect((refused as Error).message).toContain('llmq provider-keys set openai');
    expect(await countRowsByTable(fleet.database.db)).toEqual(rowsBefore);
    expect(await queue.jobCounts('waiting', 'prioritized', 'active', 'delayed')).toEqual({
      waiting: 0,
      prioritized: 0,
      active: 0,
      delayed: 0,
    });

    await client.setProviderKey('openai', providerKey);
    const [row] = await listProviderKeys(fleet.database.db);
    expect(row?.encrypted).not.toContain(providerKey);
    expect(JSON.stringify(await client.listProviderKeys())).not.toContain(providerKey);

    openai.enqueue({ text: 'run with the stored key' });
    const accepted = await client.createPrompt({ model: 'local-text', prompt: 'hi' });
    const ended = await fleet.ended(accepted.id);
    expect(ended).toMatchObject({ status: 'succeeded', response: 'run with the stored key' });
    expect(openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${providerKey}`);
    expect(worker.lines.some((line) => line.includes(providerKey))).toBe(false);
    expect(api.lines.some((line) => line.includes(providerKey))).toBe(false);
  });

  it('a running worker drops a key deleted through the API: a new prompt is refused, and one accepted before the delete fails once as NeedsKeyError', async () => {
    await fleet.killAll();
    const worker = await startWorker();
    await client.setProviderKey('openai', providerKey);
    // The running worker reads the key and keeps it (for up to maxAgeMs, 10 s by default).
    openai.enqueue({ text: 'the worker has the key' });
    const before = await client.createPrompt({ model: 'local-text', prompt: 'first' });
    expect(await fleet.ended(before.id)).toMatchObject({ status: 'succeeded' });

    const requestsBefore = openai.requests.length;

    // Held in the queue so that the worker picks it up only after the key is gone.
    const accepted = await whileQueueIsPaused('local-text', async () => {
      const held = await client.createPrompt({ model: 'local-text', prompt: 'accepted in time' });
      await client.deleteProviderKey('openai');
      const refused = await client
        .createPrompt({ model: 'local-text', prompt: 'too late' })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(LlmqApiError);
      expect((refused as LlmqApiError).status).toBe(422);
      expect((refused as Error).message).toContain('llmq provider-keys set openai');
      return held;
    });

    const ended = await fleet.ended(accepted.id);
    expect(ended).toMatchObject({ status: 'failed', errorKind: 'NeedsKeyError', attempts: 1 });
    // Failed for want of the key in the worker, not by the provider refusing the old one.
    expect(openai.requests).toHaveLength(requestsBefore);
    expect(worker.lines.some((line) => line.includes(providerKey))).toBe(false);
  });

  it('fails a prompt whose key was deleted after it was accepted once, without a retry, in one log line without a stack', async () => {
    await fleet.killAll();
    await client.setProviderKey('openai', providerKey);
    const accepted = await client.createPrompt({ model: 'local-text', prompt: 'too late' });
    await client.deleteProviderKey('openai');
    expect((await client.models()).find((model) => model.id === 'local-text')?.available).toBe(
      false,
    );

    const worker = await startWorker();
    const ended = await fleet.ended(accepted.id);
    expect(ended).toMatchObject({ status: 'failed', errorKind: 'NeedsKeyError', attempts: 1 });
    expect(ended.error).toBe(
      'No key found for model local-text: an admin stores it with `llmq provider-keys set openai` or PUT /v1/provider-keys/openai, or set OPENAI_API_KEY on the server and its workers',
    );
    // The worker logs the failure after it is stored: the row can be read before the line.
    await worker.waitForLine(/"msg":"prompt failed"/);
    const lines = worker.lines.filter(
      (line) => line.includes(accepted.id) && /"level":(40|50)/.test(line),
    );
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('"msg":"prompt failed"');
    expect(lines[0]).toContain('"kind":"NeedsKeyError"');
    expect(lines[0]).not.toContain('"stack"');
  });
});
