import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestRedis, startServiceProcess } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = new URL('../main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llmq-start-up-'));
});

afterAll(async () => {
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

describe('the api at start', () => {
  it('refuses a port in use in one line naming PORT, before it touches the data folder', async () => {
    const occupant = createServer().listen(0, '127.0.0.1');
    await once(occupant, 'listening');
    const { port } = occupant.address() as AddressInfo;
    const dataDir = join(folder, 'never-created');
    try {
      const api = startServiceProcess(entry, {
        PORT: String(port),
        HOST: '127.0.0.1',
        LLMQ_DATA_DIR: dataDir,
        REDIS_URL: testRedis.url,
        LLMQ_QUEUE_PREFIX: testRedis.prefix,
        LLMQ_PLUGINS: '@llmq/plugin-echo',
      });
      expect(await api.exited).toBe(1);
      expect(api.lines).toHaveLength(1);
      const line = JSON.parse(api.lines[0] ?? '') as { level: number; msg: string };
      expect(line.level).toBe(60);
      expect(line.msg).toBe(
        `Port ${port} on 127.0.0.1 is in use by another program: stop it, or choose another port with PORT, for example: PORT=${port + 1} npm start`,
      );
      // Checked first: no lock, no PGlite, no migrations happened.
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      occupant.close();
    }
  });

  it('refuses a metrics port in use (LLMQ_METRICS_ACCESS=port) in one line naming LLMQ_METRICS_PORT, before it touches the data folder', async () => {
    const occupant = createServer().listen(0, '127.0.0.1');
    await once(occupant, 'listening');
    const { port } = occupant.address() as AddressInfo;
    const dataDir = join(folder, 'never-created-for-metrics');
    try {
      const api = startServiceProcess(entry, {
        PORT: '0',
        HOST: '127.0.0.1',
        LLMQ_METRICS_ACCESS: 'port',
        LLMQ_METRICS_PORT: String(port),
        LLMQ_METRICS_HOST: '127.0.0.1',
        LLMQ_DATA_DIR: dataDir,
        REDIS_URL: testRedis.url,
        LLMQ_QUEUE_PREFIX: testRedis.prefix,
        LLMQ_PLUGINS: '@llmq/plugin-echo',
      });
      expect(await api.exited).toBe(1);
      expect(api.lines).toHaveLength(1);
      const line = JSON.parse(api.lines[0] ?? '') as { level: number; msg: string };
      expect(line.level).toBe(60);
      expect(line.msg).toBe(
        `Port ${port} on 127.0.0.1 is in use by another program: stop it, or choose another port with LLMQ_METRICS_PORT, for example: LLMQ_METRICS_PORT=${port + 1} npm start`,
      );
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      occupant.close();
    }
  });

  it('writes JSON lines when its output is not a terminal, a request as one of them', async () => {
    const api = startServiceProcess(entry, {
      PORT: '0',
      LLMQ_DATA_DIR: join(folder, 'json-lines'),
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      LLMQ_PLUGINS: '@llmq/plugin-echo',
    });
    try {
      const listening = await api.waitForLine(/llmq listening on/, 60_000);
      const { url } = JSON.parse(listening) as { url: string };
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      await api.waitForLine(/"path":"\/healthz"/);
    } finally {
      api.kill('SIGTERM');
      expect(await api.exited).toBe(0);
    }
    const logs = api.lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(logs.every((log) => typeof log.level === 'number' && typeof log.msg === 'string')).toBe(
      true,
    );
    expect(logs).toContainEqual(
      expect.objectContaining({ msg: 'request', method: 'GET', path: '/healthz', status: 200 }),
    );
    expect(api.lines.join('\n')).not.toContain('llmq is running at');
  });
});
