import { type ModelRegistry, newId } from '@llmq/core';
import { getPrompt } from '@llmq/db';
import { type OpenAICompatibleServer, startOpenAICompatibleServer, waitFor } from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';

const harness = useEngineHarness();
let upstream: OpenAICompatibleServer;

beforeAll(async () => {
  upstream = await startOpenAICompatibleServer();
  const openai = await import('@llmq/plugin-openai');
  await (harness().deps.models as ModelRegistry).use('@llmq/plugin-openai', openai, {
    settings: {
      OPENAI_API_KEY: 'sk-test',
      OPENAI_BASE_URL: upstream.baseUrl,
      LLMQ_OPENAI_MODELS: JSON.stringify([
        { id: 'thinker', model: 'o4-mini', reasoning: true, api: 'responses' },
      ]),
    },
  });
});

afterAll(() => upstream.close());

async function succeeded(id: string) {
  await waitFor(
    async () => (await getPrompt(harness().database.db, id))?.status === 'succeeded',
    `prompt ${id} to succeed`,
  );
}

describe('a Responses model in a stored conversation', () => {
  it('gets its encrypted reasoning back from the stored turn, through the worker', async () => {
    harness().startWorker();
    const conversationId = newId();
    upstream.enqueue({ reasoning: 'Paris is the capital.', text: 'Paris.' });
    const first = await harness().enqueue({
      model: 'thinker',
      prompt: 'Capital of France?',
      conversationId,
    });
    await succeeded(first);
    const stored = await getPrompt(harness().database.db, first);
    const firstOutput = stored?.responseJson as { output: Record<string, unknown>[] };
    const reasoning = firstOutput.output.find((item) => item.type === 'reasoning');
    expect(reasoning?.encrypted_content).toEqual(expect.stringMatching(/^gAAAAA/));
    const second = await harness().enqueue({
      model: 'thinker',
      prompt: 'And of Italy?',
      conversationId,
    });
    await succeeded(second);
    const body = upstream.requests.at(-1)?.body as { input: unknown[] };
    expect(upstream.requests.at(-1)?.path).toBe('/v1/responses');
    expect(body.input).toEqual([
      { role: 'user', content: 'Capital of France?' },
      reasoning,
      { role: 'assistant', content: 'Paris.' },
      { role: 'user', content: 'And of Italy?' },
    ]);
  });
});
