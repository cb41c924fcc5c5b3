import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqClient } from '@llmq/client';
import {
  createTestDatabase,
  createTestRedis,
  inheritedEnvironment,
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
  /** The user's llmq folder the commands use (default_model.txt), inside `folder`. */
  readonly configDirectory: string;
  /** Run the `llmq` command as a child process against the test server. */
  llmq(
    args: readonly string[],
    stdin?: Uint8Array | string,
    environment?: Record<string, string>,
  ): Promise<Run>;
  /** Start `llmq` with stdin left open, for a conversation with it (`llmq chat`). */
  spawnLlmq(args: readonly string[], environment?: Record<string, string>): LlmqProcess;
  /**
   * Start another command in the environment `llmq` gets, for what runs it: the `llmq`
   * wrapper of scripts/, or `script`, which gives it a terminal.
   */
  spawnCommand(
    command: string,
    args: readonly string[],
    environment?: Record<string, string>,
  ): LlmqProcess;
}

/** A running `llmq`: its output so far, and its end. */
export interface LlmqProcess {
  readonly child: ChildProcessWithoutNullStreams;
  readonly output: { stdout: string; stderr: string };
  /** Resolves once stdout or stderr (as chosen) matches. */
  waitFor(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void>;
  readonly exited: Promise<Run>;
}

export interface CliServerOptions {
  /** The plugins the server loads (`LLMQ_PLUGINS`), by package name or path; echo by default. */
  readonly plugins?: readonly string[];
  /** More of the server's environment (LLMQ_MODEL_PRICES, say). */
  readonly environment?: Readonly<Record<string, string>>;
}

/**
 * A live server in a process of its own, with its worker and the echo model, as a user would
 * run it, for the tests of one file; the accessor is valid once `beforeAll` has run.
 */
export function useCliServer(options: CliServerOptions = {}): () => CliServer {
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
      LLMQ_PLUGINS: (options.plugins ?? ['@llmq/plugin-echo']).join(','),
      LLMQ_API_KEYS: adminKey,
      ...options.environment,
    });
    const { url } = JSON.parse(await server.waitForLine(/llmq listening on/, 60_000)) as {
      url: string;
    };
    // Never the real user's folder: a default model set there must not change what tests send.
    const configDirectory = join(folder, 'config');
    const base = { LLMQ_URL: url, LLMQ_API_KEY: adminKey, LLMQ_CONFIG_DIR: configDirectory };
    harness = {
      baseUrl: url,
      adminKey,
      client: new LlmqClient({ baseUrl: url, apiKey: adminKey }),
      folder,
      configDirectory,
      llmq: (args, stdin, environment = {}) =>
        runLlmq(args, folder, { ...base, ...environment }, stdin),
      spawnLlmq: (args, environment = {}) =>
        spawnProcess(process.execPath, [llmqBin, ...args], folder, { ...base, ...environment }),
      spawnCommand: (command, args, environment = {}) =>
        spawnProcess(command, args, folder, { ...base, ...environment }),
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
  const running = spawnProcess(process.execPath, [llmqBin, ...args], cwd, environment);
  if (stdin !== undefined) running.child.stdin.end(stdin);
  else running.child.stdin.end();
  return running.exited;
}

function spawnProcess(
  command: string,
  args: readonly string[],
  cwd: string,
  environment: Record<string, string>,
): LlmqProcess {
  const child = spawn(command, [...args], {
    cwd,
    env: { ...inheritedEnvironment(), ...environment },
  });
  const output = { stdout: '', stderr: '' };
  const waiters: Array<() => void> = [];
  const onData = (stream: 'stdout' | 'stderr') => (chunk: Buffer) => {
    output[stream] += chunk.toString('utf8');
    for (const check of [...waiters]) check();
  };
  child.stdout.on('data', onData('stdout'));
  child.stderr.on('data', onData('stderr'));
  const exited = new Promise<Run>((done) => child.on('close', (code) => done({ code, ...output })));
  const waitFor = (stream: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<void>((done, fail) => {
      const check = () => {
        if (!pattern.test(output[stream])) return;
        waiters.splice(waiters.indexOf(check), 1);
        done();
      };
      waiters.push(check);
      check();
      void exited.then(() => {
        if (waiters.includes(check)) {
          fail(
            new Error(
              `llmq ended before its ${stream} matched ${pattern}: ${JSON.stringify(output)}`,
            ),
          );
        }
      });
    });
  return { child, output, waitFor, exited };
}
