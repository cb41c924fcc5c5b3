import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LlmqClient } from '@llmq/client';
import {
  createTestDatabase,
  createTestRedis,
  startServiceProcess,
  type TestDatabase,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const entry = new URL('./main.ts', import.meta.url).pathname;
const testRedis = createTestRedis();
let database: TestDatabase;
let folder: string;

beforeAll(async () => {
  database = await createTestDatabase();
  folder = await mkdtemp(join(tmpdir(), 'llmq-default-model-'));
});

afterAll(async () => {
  await database?.drop();
  await testRedis.cleanup();
  await rm(folder, { recursive: true, force: true });
});

/** An api of a fleet (no embedded worker) with echo and one OpenAI-compatible model. */
function startApi(defaultModel: string) {
  return startServiceProcess(entry, {
    PORT: '0',
    DATABASE_URL: database.url,
    STORAGE_URL: `file://${folder}/blobs`,
    LLMQ_DATA_DIR: folder,
    REDIS_URL: testRedis.url,
    LLMQ_QUEUE_PREFIX: testRedis.prefix,
    LLMQ_PRIVATE_REDIS: 'false',
    LLMQ_EMBEDDED_WORKER: 'false',
    LLMQ_PLUGINS: '@llmq/plugin-echo,@llmq/plugin-openai',
    OPENAI_API_KEY: 'sk-test',
    LLMQ_OPENAI_MODELS: JSON.stringify([{ id: 'local-text', aliases: ['lt'] }]),
    LLMQ_DEFAULT_MODEL: defaultModel,
  });
}

describe('LLMQ_DEFAULT_MODEL', () => {
  it('naming a model no plugin registers stops the start with a line that says so', async () => {
    const api = startApi('gpt-7');
    expect(await api.exited).toBe(1);
    expect(api.lines.join('\n')).toContain(
      'LLMQ_DEFAULT_MODEL is \\"gpt-7\\", which no loaded plugin registers; the models are: echo, local-text',
    );
    expect(api.lines.some((line) => line.includes('llmq listening on'))).toBe(false);
  });

  it('given as an alias, is the model of prompts that name none and marked in GET /v1/models', async () => {
    const api = startApi('lt');
    try {
      const line = await api.waitForLine(/llmq listening on/, 60_000);
      const client = new LlmqClient({ baseUrl: (JSON.parse(line) as { url: string }).url });
      const models = await client.models();
      expect(models.filter((model) => model.default).map((model) => model.id)).toEqual([
        'local-text',
      ]);
      const accepted = await client.createPrompt({ prompt: 'which model?' });
      expect(await client.getPrompt(accepted.id)).toMatchObject({ model: 'local-text' });
    } finally {
      api.kill('SIGTERM');
      await api.exited;
    }
  });
});
