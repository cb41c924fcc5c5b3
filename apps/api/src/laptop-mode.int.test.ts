import { existsSync } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqClient } from '@llmq/client';
import { createTestRedis, startServiceProcess } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = new URL('./main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llmq-laptop-'));
});

afterAll(async () => {
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

async function startApi(env: Record<string, string>) {
  const api = startServiceProcess(entry, { PORT: '0', LLMQ_PLUGINS: '@llmq/plugin-echo', ...env });
  const line = await api.waitForLine(/llmq listening on/, 60_000);
  const url = (JSON.parse(line) as { url: string }).url;
  return { api, client: new LlmqClient({ baseUrl: url }) };
}

describe('laptop mode', () => {
  it('with no DATABASE_URL, the api alone (PGlite, blobs under the data dir, its own worker) completes an echo prompt', async () => {
    const dataDir = join(folder, 'embedded');
    const { api, client } = await startApi({
      LLMQ_DATA_DIR: dataDir,
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
    });
    try {
      expect(api.lines.some((line) => line.includes('embedded worker ready (laptop mode)'))).toBe(
        true,
      );
      const image = await client.uploadAttachment(
        new Uint8Array(Buffer.from('GIF89a')),
        'image/gif',
      );
      const finished = await client.createPrompt(
        { model: 'echo', prompt: 'on a laptop', attachments: [{ id: image.id }] },
        { wait: true },
      );
      expect(finished).toMatchObject({ status: 'succeeded', attempts: 1 });
      expect(existsSync(join(dataDir, 'pglite'))).toBe(true);
      // No LLMQ_SECRET_KEY: laptop mode made one for stored provider keys, readable by its owner only.
      expect((await stat(join(dataDir, 'secret.key'))).mode & 0o777).toBe(0o600);
      expect(
        existsSync(
          join(dataDir, 'blobs', 'blobs', image.id.slice(0, 2), image.id.slice(2, 4), image.id),
        ),
      ).toBe(true);
    } finally {
      api.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
  });

  it('runs a private redis-server with its data under the data dir when asked', async () => {
    const dataDir = join(folder, 'private-redis');
    const { api, client } = await startApi({
      LLMQ_DATA_DIR: dataDir,
      LLMQ_PRIVATE_REDIS: 'always',
    });
    try {
      expect(api.lines.some((line) => line.includes('started a private redis-server'))).toBe(true);
      const finished = await client.createPrompt(
        { model: 'echo', prompt: 'private redis' },
        { wait: true },
      );
      expect(finished.status).toBe('succeeded');
      expect(existsSync(join(dataDir, 'redis'))).toBe(true);
    } finally {
      api.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
  });

  it('refuses to listen beyond loopback without API keys, and says why', async () => {
    const api = startServiceProcess(entry, {
      PORT: '0',
      HOST: '0.0.0.0',
      LLMQ_DATA_DIR: join(folder, 'open'),
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      LLMQ_PLUGINS: '@llmq/plugin-echo',
    });
    expect(await api.exited).toBe(1);
    expect(api.lines.join('\n')).toContain(
      'Refusing to listen on 0.0.0.0 without API keys: set LLMQ_API_KEYS',
    );
  });

  it('stops with a message naming a bad setting', async () => {
    const api = startServiceProcess(entry, { PORT: 'eighty', STORAGE_URL: 'gs://bucket' });
    expect(await api.exited).toBe(1);
    expect(api.lines.join('\n')).toContain('PORT');
    const storage = startServiceProcess(entry, {
      PORT: '0',
      LLMQ_DATA_DIR: join(folder, 'bad-storage'),
      REDIS_URL: testRedis.url,
      STORAGE_URL: 'gs://bucket',
    });
    expect(await storage.exited).toBe(1);
    expect(storage.lines.join('\n')).toContain('STORAGE_URL must start with file:// or s3://');
  });
});
