import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqClient } from '@llmq/client';
import {
  createTestDatabase,
  createTestRedis,
  type ServiceProcess,
  startServiceProcess,
  type TestDatabase,
} from '@llmq/testing';
import { afterAll, beforeAll } from 'vitest';

export const llmqBin = new URL('../bin/llmq.mjs', import.meta.url).pathname;
const apiEntry = new URL('../../api/src/main.ts', import.meta.url).pathname;

export interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

export interface CliServer {
  readonly baseUrl: string;
  readonly adminKey: string;
  readonly client: LlmqClient;
  /** A scratch folder, the command's working directory. */
  readonly folder: string;
  /** Run the `llmq` command as a child process against the test server. */
  llmq(args: readonly string[], stdin?: Uint8Array | string): Promise<Run>;
}

/**
 * A live server in a process of its own, with its worker and the echo model, as a user would
 * run it, for the tests of one file; the accessor is valid once `beforeAll` has run.
 */
export function useCliServer(): () => CliServer {
  const adminKey = 'cli-admin-key-0123456789';
  const testRedis = createTestRedis();
  let testDatabase: TestDatabase | undefined;
  let server: ServiceProcess | undefined;
  let harness: CliServer | undefined;

  beforeAll(async () => {
    const folder = await mkdtemp(join(tmpdir(), 'llmq-cli-'));
    testDatabase = await createTestDatabase();
    server = startServiceProcess(apiEntry, {
      PORT: '0',
      DATABASE_URL: testDatabase.url,
      REDIS_URL: testRedis.url,
      LLMQ_QUEUE_PREFIX: testRedis.prefix,
      STORAGE_URL: `file://${folder}/blobs`,
      LLMQ_EMBEDDED_WORKER: 'true',
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      LLMQ_API_KEYS: adminKey,
    });
    const { url } = JSON.parse(await server.waitForLine(/llmq listening on/, 60_000)) as {
      url: string;
    };
    harness = {
      baseUrl: url,
      adminKey,
      client: new LlmqClient({ baseUrl: url, apiKey: adminKey }),
      folder,
      llmq: (args, stdin) =>
        runLlmq(args, folder, { LLMQ_URL: url, LLMQ_API_KEY: adminKey }, stdin),
    };
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await server?.exited;
    await testDatabase?.drop();
    await testRedis.cleanup();
    if (harness) await rm(harness.folder, { recursive: true, force: true });
  });

  return () => {
    if (!harness) throw new Error('the llmq test server is not started yet (beforeAll)');
    return harness;
  };
}

function runLlmq(
  args: readonly string[],
  cwd: string,
  environment: Record<string, string>,
  stdin: Uint8Array | string | undefined,
): Promise<Run> {
  return new Promise((done) => {
    const child = spawn(process.execPath, [llmqBin, ...args], {
      cwd,
      env: { ...process.env, ...environment },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    child.on('close', (code) => done({ code, stdout, stderr }));
    if (stdin !== undefined) child.stdin.end(stdin);
    else child.stdin.end();
  });
}
