import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, realpath, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqClient } from '@llmq/client';
import { type ServiceProcess, startServiceProcess, testEnvironment } from '@llmq/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lockFileName } from './startup/data-folder-lock.ts';
import { dataFolderQueuePrefix } from './startup/queue-prefix.ts';

const entry = new URL('./main.ts', import.meta.url).pathname;
const started: ServiceProcess[] = [];
const prefixes = new Set<string>();
let folder: string;

/** A laptop-mode api on the machine's Redis with no LLMQ_QUEUE_PREFIX: it derives its own. */
function startLaptopApi(dataDir: string): ServiceProcess {
  const api = startServiceProcess(entry, {
    PORT: '0',
    LLMQ_DATA_DIR: dataDir,
    REDIS_URL: testEnvironment.redisUrl,
    LLMQ_PRIVATE_REDIS: 'false',
    LLMQ_PLUGINS: '@llmq/plugin-echo',
    LLMQ_WAIT_SECONDS: '30',
  });
  started.push(api);
  return api;
}

async function listening(api: ServiceProcess, dataDir: string) {
  const line = await api.waitForLine(/llmq listening on/, 90_000);
  const prefix = dataFolderQueuePrefix(await realpath(dataDir));
  prefixes.add(prefix);
  return { client: new LlmqClient({ baseUrl: (JSON.parse(line) as { url: string }).url }), prefix };
}

async function stop(api: ServiceProcess) {
  api.kill('SIGTERM');
  return api.exited;
}

/** Every key under a prefix (BullMQ's queues, event logs), as a service's own cleanup. */
async function deleteKeys(prefix: string) {
  const redis = new Redis(testEnvironment.redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await redis.del(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llmq-shared-redis-'));
});

afterAll(async () => {
  await Promise.all(started.map(stop));
  for (const prefix of prefixes) await deleteKeys(prefix);
  await rm(folder, { recursive: true, force: true });
});

describe('laptop-mode services on one Redis', () => {
  it('each keeps its own queue (a prefix of its data folder): 10 prompts to each all succeed on their own server; a second process on a folder in use is refused', async () => {
    const folders = [join(folder, 'first'), join(folder, 'second')];
    const apis = folders.map(startLaptopApi);
    const [first, second] = await Promise.all(
      apis.map((api, index) => listening(api, folders[index] as string)),
    );
    if (!first || !second) throw new Error('both apis should be listening');
    expect(first.prefix).not.toBe(second.prefix);
    for (const [index, api] of apis.entries()) {
      const prefix = index === 0 ? first.prefix : second.prefix;
      const line = api.lines.find((each) => each.includes('"msg":"queue prefix'));
      expect(JSON.parse(line ?? '{}')).toMatchObject({ queuePrefix: prefix, from: 'data folder' });
    }

    const results = await Promise.all(
      [first, second].flatMap(({ client }, server) =>
        Array.from({ length: 10 }, (_, index) =>
          client.createPrompt(
            { model: 'echo', prompt: `server ${server} prompt ${index}` },
            { wait: true },
          ),
        ),
      ),
    );
    expect(results.map((result) => result.status)).toEqual(Array(20).fill('succeeded'));
    for (const [index, result] of results.entries()) {
      expect('text' in result ? result.text : undefined).toContain(
        `server ${Math.floor(index / 10)} prompt ${index % 10}`,
      );
    }
    for (const api of apis) {
      expect(api.lines.join('\n')).not.toContain("does not exist in this service's database");
    }

    const firstFolder = await realpath(folders[0] as string);
    const holder = apis[0]?.child.pid;
    const intruder = startLaptopApi(folders[0] as string);
    expect(await intruder.exited).toBe(1);
    const refusal = intruder.lines.find((line) => line.includes('"level":60'));
    expect(JSON.parse(refusal ?? '{}').msg).toContain(
      `The data folder ${firstFolder} is in use by another llmq process (pid ${holder})`,
    );
    // The refused process leaves the holder's lock alone.
    expect(await readFile(join(firstFolder, lockFileName), 'utf8')).toBe(`${holder}\n`);
  }, 180_000);

  it('takes over a lock left by a process that died, and removes its own on a clean exit', async () => {
    const dataDir = join(folder, 'stale');
    await mkdir(dataDir, { recursive: true });
    const dead = spawnSync('true').pid;
    const lockFile = join(dataDir, lockFileName);
    await writeFile(lockFile, `${dead}\n`);

    const api = startLaptopApi(dataDir);
    const { client } = await listening(api, dataDir);
    expect(await readFile(lockFile, 'utf8')).toBe(`${api.child.pid}\n`);
    const finished = await client.createPrompt(
      { model: 'echo', prompt: 'taken over' },
      { wait: true },
    );
    expect(finished.status).toBe('succeeded');
    expect(await stop(api)).toBe(0);
    expect(existsSync(lockFile)).toBe(false);
  }, 120_000);
});
