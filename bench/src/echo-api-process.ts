import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ServiceProcess, serviceNodeFlags, startServiceProcess } from '@llmq/testing';
import type { BenchServices } from './bench-services.ts';
import { extraNodeFlags } from './extra-node-flags.ts';

const apiEntry = new URL('../../apps/api/src/main.ts', import.meta.url).pathname;

export interface EchoApi {
  /** The api's own process: its CPU, RSS and Redis connections are its own. */
  readonly process: ServiceProcess;
  /** Where it serves, once it says it listens. */
  url(): Promise<string>;
  /** Stop it, then close the bench's services and remove its blob folder. */
  close(): Promise<void>;
}

/**
 * An api process on the bench's database and Redis prefix, with blobs in a fresh folder,
 * serving the echo model, with no worker inside.
 */
export async function startEchoApi(services: BenchServices, name: string): Promise<EchoApi> {
  const folder = await mkdtemp(join(tmpdir(), `llmq-bench-${name}-`));
  const api = startServiceProcess(
    apiEntry,
    {
      PORT: '0',
      DATABASE_URL: services.databaseUrl,
      REDIS_URL: services.redisUrl,
      STORAGE_URL: `file://${folder}`,
      LLMQ_QUEUE_PREFIX: services.prefix,
      LLMQ_EMBEDDED_WORKER: 'false',
      LLMQ_PLUGINS: '@llmq/plugin-echo',
      LOG_LEVEL: 'info',
    },
    [],
    [...serviceNodeFlags, ...extraNodeFlags('BENCH_API_NODE_OPTIONS')],
  );
  return {
    process: api,
    url: async () => {
      const line = await api.waitForLine(/llmq listening on/, 60_000);
      return (JSON.parse(line) as { url: string }).url;
    },
    close: async () => {
      api.kill('SIGTERM');
      await api.exited;
      await services.close();
      await rm(folder, { recursive: true, force: true });
    },
  };
}
