import { ModelRegistry } from '@llmq/core';
import { type PromptWorker, startPromptWorker } from '@llmq/engine';
import { OpenAIChatModel } from '@llmq/plugin-openai';
import { createRedisConnection } from '@llmq/queue';
import { sampleFiles, testEnvironment } from '@llmq/testing';
import type { Redis } from 'ioredis';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const api = useApi();
const png = Buffer.from(sampleFiles.png).toString('base64');
let textWorker: PromptWorker | undefined;
let textConnection: Redis | undefined;

beforeAll(async () => {
  // The fixture's OpenAI model takes images; this one, on the same local server, takes none.
  // The fixture's worker has a queue for each model it knew at its start, so this model gets a
  // worker of its own, on the fixture's database, blobs, event log and Redis prefix.
  const { services, openai } = api();
  const textModel = new OpenAIChatModel({
    config: { id: 'local-text', aliases: [], vision: false, audio: false, stream: true },
    apiKey: 'sk-test',
    baseUrl: openai.baseUrl,
  });
  services.models.register(textModel);
  const models = new ModelRegistry();
  models.register(textModel);
  textConnection = createRedisConnection(testEnvironment.redisUrl, {
    name: 'local-text-worker',
    blocking: true,
  });
  textWorker = startPromptWorker(
    {
      db: services.database.db,
      blobs: services.blobs,
      models,
      events: services.events,
      logger: pino({ level: 'silent' }),
      coalesceMs: 2,
    },
    {
      connection: textConnection,
      prefix: services.queue.queueFor('local-text').opts.prefix ?? '',
      concurrency: 2,
      backoffMs: 50,
    },
  );
  await textWorker.ready;
});

afterAll(async () => {
  await textWorker?.close(1_000);
  textConnection?.disconnect();
});

/** The messages of the last chat request the local OpenAI-compatible server received. */
function lastMessages(): unknown {
  const body = api().openai.requests.at(-1)?.body as { messages?: unknown } | undefined;
  return body?.messages;
}

describe("a continued conversation checks the earlier turns' attachments it replays", () => {
  it('accepts, for a text-only model, a conversation whose earlier failed turn had an image, and does not replay that turn', async () => {
    const { client, openai } = api();
    openai.enqueue({ status: 400, error: { message: 'This image cannot be read.' } });
    const failed = await client.createPrompt(
      { model: 'lv', prompt: 'What is this?', attachments: [{ content: png }] },
      { wait: true },
    );
    expect(failed).toMatchObject({ status: 'failed', conversation_id: expect.any(String) });
    openai.enqueue({ text: 'Hello.' });
    const next = await client.createPrompt(
      {
        model: 'local-text',
        prompt: 'Say hello',
        conversation_id: failed.conversation_id as string,
      },
      { wait: true },
    );
    expect(next).toMatchObject({ status: 'succeeded', text: 'Hello.' });
    expect(lastMessages()).toEqual([{ role: 'user', content: 'Say hello' }]);
  });

  it('still refuses, for a text-only model, a conversation whose earlier succeeded turn had an image (llm #1626)', async () => {
    const { client, openai } = api();
    openai.enqueue({ text: 'A red pixel.' });
    const succeeded = await client.createPrompt(
      { model: 'lv', prompt: 'What is this?', attachments: [{ content: png }] },
      { wait: true },
    );
    expect(succeeded).toMatchObject({ status: 'succeeded', conversation_id: expect.any(String) });
    const response = await api().request('POST', '/v1/prompts', {
      model: 'local-text',
      prompt: 'And now?',
      conversation_id: succeeded.conversation_id as string,
    });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({
      type: 'urn:llmq:problem:unsupported-attachment-type',
      detail: expect.stringContaining('This model does not support attachments'),
    });
  });
});
