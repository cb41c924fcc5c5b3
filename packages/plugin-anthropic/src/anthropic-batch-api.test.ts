import {
  type AsyncModel,
  ModelRegistry,
  type ProviderBatchResult,
  type ProviderBatchStatus,
  type Tool,
} from '@llmq/core';
import {
  type AnthropicBatchScript,
  type AnthropicCompatibleServer,
  startAnthropicCompatibleServer,
  waitFor,
} from '@llmq/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as plugin from './index.ts';

let server: AnthropicCompatibleServer;
let registry: ModelRegistry;
let script: AnthropicBatchScript = {};
let processingMs = 20;
const context = { key: 'sk-ant-test' };

const weather: Tool = {
  name: 'get_weather',
  description: 'The weather in a city.',
  inputSchema: { type: 'object', properties: { city: { type: 'string' } }, required: ['city'] },
};

beforeAll(async () => {
  server = await startAnthropicCompatibleServer({
    get batchProcessingMs() {
      return processingMs;
    },
    batchScript: () => script,
  });
  registry = new ModelRegistry();
  await registry.use('@llmq/plugin-anthropic', plugin, {
    settings: {
      ANTHROPIC_API_KEY: 'sk-ant-test',
      ANTHROPIC_BASE_URL: server.baseUrl,
      LLMQ_ANTHROPIC_MODELS: JSON.stringify([
        { id: 'claude-local', model: 'claude-sonnet-4-6', thinking: 'budget', stream: false },
      ]),
    },
  });
});

afterAll(async () => {
  await server.close();
});

const model = () => registry.get('claude-local') as AsyncModel;
const batchApi = () => {
  const api = model().batchApi;
  if (!api) throw new Error('claude-local has no batch API');
  return api;
};

async function runToEnd(requests: Array<{ customId: string; body: unknown }>) {
  const id = await batchApi().create(requests, { ...context, reference: 'unused' });
  let status: ProviderBatchStatus | undefined;
  await waitFor(
    async () => {
      status = await batchApi().status(id, context);
      return status.state === 'ended';
    },
    'the message batch to end',
    10_000,
    10,
  );
  const results: ProviderBatchResult[] = [];
  for await (const result of batchApi().results(id, context)) results.push(result);
  results.sort((left, right) => left.customId.localeCompare(right.customId));
  return { id, status: status as ProviderBatchStatus, results };
}

describe('Anthropic Message Batches (the SDK against the local server)', () => {
  it('offers a batch API named by the provider, with Anthropic’s limits', () => {
    expect(batchApi().provider).toBe('127.0.0.1');
    expect(batchApi().limits).toEqual({ maxRequests: 100_000, maxBytes: 256 * 1024 * 1024 });
  });

  it('builds each request’s params as exactly what a non-streamed real-time call sends', async () => {
    const response = model().prompt('What is the weather in Paris?', {
      system: 'Be brief.',
      tools: [weather],
      options: { thinking: true, max_tokens: 3000, tool_choice: 'auto' },
    });
    await response.text();
    const sent = server.requests.filter((request) => request.path === '/v1/messages').at(-1);
    expect(await batchApi().requestBody(response.prompt)).toEqual(sent?.body);
    expect(sent?.body).toMatchObject({ stream: false, thinking: { type: 'enabled' } });
  });

  it('maps results as a non-streamed answer: text, signed thinking, tool calls, cache usage; errored lines fail with Anthropic’s reason', async () => {
    script = { fail: ['d-fail'] };
    const usage = {
      input_tokens: 12,
      output_tokens: 7,
      cache_creation_input_tokens: 0,
      cache_read_input_tokens: 40,
      service_tier: 'batch',
    };
    server.enqueue(
      { text: 'Plain answer', usage },
      { text: 'Thought through', thinking: 'Let me think.' },
      {
        text: 'Checking',
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', input: { city: 'Oslo' } }],
      },
    );
    const body = async (text: string, call: Parameters<AsyncModel['prompt']>[1] = {}) =>
      batchApi().requestBody(model().prompt(text, call).prompt);
    const { status, results } = await runToEnd([
      { customId: 'a-plain', body: await body('hello') },
      { customId: 'b-think', body: await body('think', { options: { thinking: true } }) },
      { customId: 'c-tool', body: await body('weather', { tools: [weather] }) },
      { customId: 'd-fail', body: await body('fail me') },
    ]);
    expect(status).toEqual({ state: 'ended', counts: { done: 3, failed: 1, total: 4 } });
    const [plain, think, tool, failed] = results;
    expect(plain).toMatchObject({
      customId: 'a-plain',
      type: 'succeeded',
      answer: {
        text: 'Plain answer',
        toolCalls: [],
        usage: { input: 12, output: 7, details: { cache_read_input_tokens: 40 } },
      },
    });
    expect(plain?.type === 'succeeded' ? plain.answer.reasoning : 'not succeeded').toBeUndefined();
    expect(think).toMatchObject({
      type: 'succeeded',
      answer: { text: 'Thought through', reasoning: 'Let me think.' },
    });
    const thinkingBlock =
      think?.type === 'succeeded' &&
      (think.answer.json as { content: Array<Record<string, unknown>> }).content[0];
    expect(thinkingBlock).toMatchObject({ type: 'thinking', thinking: 'Let me think.' });
    expect(thinkingBlock && typeof thinkingBlock.signature).toBe('string');
    expect(tool).toMatchObject({
      type: 'succeeded',
      answer: {
        text: 'Checking',
        toolCalls: [{ id: 'toolu_1', name: 'get_weather', arguments: { city: 'Oslo' } }],
      },
    });
    expect(failed).toEqual({
      customId: 'd-fail',
      type: 'failed',
      error: 'The model failed to answer (scripted) (api_error)',
    });
  });

  it('fails a request the Messages route refuses with Anthropic’s invalid_request_error', async () => {
    script = {};
    const { results } = await runToEnd([
      {
        customId: 'bad',
        body: { model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: 'x' }] },
      },
    ]);
    expect(results[0]).toMatchObject({
      type: 'failed',
      error: expect.stringMatching(/max_tokens.*\(invalid_request_error\)$/),
    });
  });

  it('ends the requests an expired batch never ran as expired', async () => {
    script = { expire: true, answerBeforeExpiry: 1 };
    const params = await batchApi().requestBody(model().prompt('hi').prompt);
    const { status, results } = await runToEnd(
      ['x-0', 'x-1', 'x-2'].map((customId) => ({ customId, body: params })),
    );
    expect(status).toEqual({
      state: 'ended',
      counts: { done: 1, failed: 2, total: 3 },
      unanswered: 'expired',
    });
    expect(results.map((result) => result.type)).toEqual(['succeeded', 'expired', 'expired']);
    expect(results[1]).toMatchObject({ error: expect.stringMatching(/expired/) });
  });

  it('cancels: the batch is cancelling, then ends with the requests it had not run canceled', async () => {
    script = {};
    processingMs = 5_000;
    const params = await batchApi().requestBody(model().prompt('hi').prompt);
    const requests = Array.from({ length: 100 }, (_, index) => ({
      customId: `c-${index}`,
      body: params,
    }));
    const id = await batchApi().create(requests, { ...context, reference: 'unused' });
    await batchApi().cancel(id, context);
    expect((await batchApi().status(id, context)).state).toMatch(/cancelling|ended/);
    processingMs = 20;
    await waitFor(
      async () => (await batchApi().status(id, context)).state === 'ended',
      'the cancelled batch to end',
      10_000,
      10,
    );
    expect((await batchApi().status(id, context)).unanswered).toBe('cancelled');
    const results: ProviderBatchResult[] = [];
    for await (const result of batchApi().results(id, context)) results.push(result);
    expect(results).toHaveLength(100);
    expect(results.filter((result) => result.type === 'cancelled').length).toBeGreaterThan(0);
  });
});
