import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startCommandProcess,
  type TestDatabase,
  waitFor,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The image is `pnpm deploy` output plus infra/docker/entrypoint.sh (see the Dockerfile). No
// Docker engine runs here, so this builds the same folders and runs the same entry commands.

const run = promisify(execFile);
const root = new URL('../../', import.meta.url).pathname;
const entrypoint = join(root, 'infra/docker/entrypoint.sh');
const testRedis = createTestRedis();
let database: TestDatabase;
let folder: string;
const started: ServiceProcess[] = [];

async function pnpm(...args: string[]): Promise<void> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8')) as {
    packageManager: string;
  };
  const version = manifest.packageManager.split('@')[1] as string;
  await run('npx', ['--yes', `pnpm@${version}`, ...args], { cwd: root, maxBuffer: 16 << 20 });
}

function environment(): Record<string, string> {
  return {
    LLMQ_APP_ROOT: folder,
    // The entry point runs `node` from PATH: this Node (26), as in the image.
    PATH: `${dirname(process.execPath)}:${process.env.PATH ?? ''}`,
    DATABASE_URL: database.url,
    REDIS_URL: testRedis.url,
    STORAGE_URL: `file://${folder}/blobs`,
    LLMQ_QUEUE_PREFIX: testRedis.prefix,
    LLMQ_PLUGINS: '@llmq/plugin-echo',
    LLMQ_PRIVATE_REDIS: 'false',
    HOST: '127.0.0.1',
    PORT: '0',
    LLMQ_METRICS_HOST: '127.0.0.1',
    LLMQ_METRICS_PORT: '0',
    LLMQ_EMBEDDED_WORKER: 'false',
  };
}

function start(...args: string[]): ServiceProcess {
  const process = startCommandProcess('sh', [entrypoint, ...args], environment());
  started.push(process);
  return process;
}

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-deploy-'));
  for (const app of ['api', 'worker', 'cli']) {
    await pnpm('--filter', `@llmq/${app}`, 'deploy', '--prod', join(folder, app));
  }
  // The web console where the image puts it (the Dockerfile's `pnpm build` and copy).
  const consoleFolder = join(folder, 'web', 'dist');
  await pnpm('exec', 'vite', 'build', 'apps/web', '--outDir', consoleFolder, '--emptyOutDir');
}, 240_000);

afterAll(async () => {
  for (const process of started) process.kill('SIGKILL');
  await Promise.all(started.map((process) => process.exited));
  await testRedis.cleanup();
  await database.drop();
  await rm(folder, { recursive: true, force: true });
});

describe('the image entry commands, from pnpm deploy output', () => {
  it('migrate, then an api (serving the web console) and a worker that answer /healthz and run a prompt together', async () => {
    const migrate = start('migrate');
    expect(await migrate.exited, migrate.lines.join('\n')).toBe(0);
    expect(migrate.lines.join('\n')).toContain('migrations applied');

    const api = start('api');
    const listening = JSON.parse(await api.waitForLine(/llmq listening on/, 60_000)) as {
      url: string;
    };
    const worker = start('worker');
    const ready = JSON.parse(await worker.waitForLine(/worker ready/, 60_000)) as {
      metrics: string;
    };
    expect((await fetch(`${listening.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${listening.url}/readyz`)).status).toBe(200);
    const page = await fetch(`${listening.url}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<!doctype html>/i);
    const workerBase = ready.metrics.replace(/\/metrics$/, '');
    expect((await fetch(`${workerBase}/healthz`)).status).toBe(200);

    const accepted = (await (
      await fetch(`${listening.url}/v1/prompts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'echo', prompt: 'from the deployed image' }),
      })
    ).json()) as { id: string };
    let status = '';
    await waitFor(
      async () => {
        const prompt = (await (
          await fetch(`${listening.url}/v1/prompts/${accepted.id}`)
        ).json()) as { status: string };
        status = prompt.status;
        return status === 'succeeded' || status === 'failed';
      },
      'the prompt to end',
      30_000,
      50,
    );
    expect(status).toBe('succeeded');
    const metrics = await (await fetch(`${workerBase}/metrics`)).text();
    expect(metrics).toMatch(/llmq_jobs_total\{[^}]*status="succeeded"[^}]*\} 1/);

    worker.kill('SIGTERM');
    api.kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(await api.exited).toBe(0);
  });

  it('runs the CLI, and refuses an unknown command with its usage', async () => {
    const help = start('llmq', '--help');
    expect(await help.exited).toBe(0);
    expect(help.lines.join('\n')).toMatch(/Usage: llmq/);
    const wrong = start('serve');
    expect(await wrong.exited).toBe(64);
    expect(wrong.lines.join('\n')).toMatch(/usage: api \| worker \| migrate \| llmq/);
  });
});
