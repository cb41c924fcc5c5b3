import { ModelRegistry } from '@llmq/core';
import { countRowsByTable, getPrompt, getStoredSchema, listPrompts } from '@llmq/db/reads';
import { type PromptWorker, startPromptWorker } from '@llmq/engine';
import { OpenAIChatModel } from '@llmq/plugin-openai';
import { createRedisConnection } from '@llmq/queue';
import { testEnvironment, waitFor } from '@llmq/testing';
import type { Redis } from 'ioredis';
import OpenAI, { toFile } from 'openai';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const adminKey = 'sk-llmq-facade-schemas';
const api = useApi({ adminKeys: [adminKey] });
let openai: OpenAI;
let worker: PromptWorker | undefined;
let workerConnection: Redis | undefined;

/** Ready for OpenAI's strict mode, with a description and a nested object. */
const invoiceSchema = {
  type: 'object',
  properties: {
    vendor: { type: 'string', description: 'Who sent the invoice' },
    total: { type: 'number' },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { item: { type: 'string' } },
        required: ['item'],
        additionalProperties: false,
      },
    },
  },
  required: ['vendor', 'total', 'lines'],
  additionalProperties: false,
};

beforeAll(async () => {
  openai = new OpenAI({ apiKey: adminKey, baseURL: `${api().baseUrl}/openai/v1`, maxRetries: 0 });
  // Two more models on the fixture's local OpenAI-compatible server: one with structured
  // outputs, one reasoning model. The fixture's worker has a queue for each model it knew at its
  // start, so these get a worker of their own on the fixture's database, blobs and Redis prefix.
  const { services, openai: upstream } = api();
  const configs = [
    { id: 'local-structured', model: 'gpt-4.1-mini', schemas: true },
    { id: 'local-reasoner', model: 'o4-mini', reasoning: true, schemas: true },
  ];
  const models = new ModelRegistry();
  for (const config of configs) {
    const model = new OpenAIChatModel({ config, apiKey: 'sk-test', baseUrl: upstream.baseUrl });
    services.models.register(model);
    models.register(model);
  }
  workerConnection = createRedisConnection(testEnvironment.redisUrl, {
    name: 'facade-schemas-worker',
    blocking: true,
  });
  worker = startPromptWorker(
    {
      db: services.database.db,
      blobs: services.blobs,
      models,
      events: services.events,
      logger: pino({ level: 'silent' }),
      coalesceMs: 2,
    },
    {
      connection: workerConnection,
      prefix: services.queue.queueFor('local-structured').opts.prefix ?? '',
      concurrency: 2,
      backoffMs: 50,
    },
  );
  await worker.ready;
});

afterAll(async () => {
  await worker?.close(1_000);
  workerConnection?.disconnect();
});

/** The stored llmq prompt behind a completion id. */
async function storedPrompt(completionId: string) {
  const row = await getPrompt(api().deps.services.db, completionId.replace(/^chatcmpl-/, ''));
  if (!row) throw new Error(`no prompt ${completionId}`);
  return row;
}

/** The body of the last chat request the local OpenAI-compatible server received. */
const lastUpstreamBody = () => api().openai.requests.at(-1)?.body as Record<string, unknown>;

describe('OpenAI facade: json_schema response formats', () => {
  it('keeps the JSON Schema of a json_schema response format as the prompt’s schema, intact', async () => {
    const completion = await openai.chat.completions.create({
      model: 'local-structured',
      messages: [{ role: 'user', content: 'Invoice from ACME, 12.50 for one widget' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'invoice', schema: invoiceSchema, strict: true },
      },
    });
    const row = await storedPrompt(completion.id);
    expect(row.status).toBe('succeeded');
    // The schema is the prompt's own: no JSON-mode option stands in for it.
    expect(row.options).toEqual({});
    const stored = await getStoredSchema(api().deps.services.db, row.schemaId ?? '');
    expect(stored?.content).toEqual(invoiceSchema);
    // The model is asked for exactly that schema, strictly, as OpenAI's structured outputs.
    expect(lastUpstreamBody().response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: invoiceSchema, strict: true },
    });
    // The local server answers JSON built from the schema; the answer is kept as data too.
    const answer = { vendor: 'example', total: 0, lines: [{ item: 'example' }] };
    expect(JSON.parse(completion.choices[0]?.message.content ?? '')).toEqual(answer);
    expect(row.data).toEqual(answer);
  });

  it('keeps plain JSON mode for a json_schema format that gives no schema', async () => {
    const completion = await openai.chat.completions.create({
      model: 'lv',
      messages: [{ role: 'user', content: 'any JSON' }],
      response_format: { type: 'json_schema', json_schema: { name: 'anything' } },
    });
    const row = await storedPrompt(completion.id);
    expect(row.options).toEqual({ json_object: true });
    expect(row.schemaId).toBeNull();
  });

  it('refuses a schema for a model without structured outputs, naming response_format, storing nothing', async () => {
    const before = await countRowsByTable(api().deps.services.db);
    const error = await openai.chat.completions
      .create({
        model: 'lv',
        messages: [{ role: 'user', content: 'x' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'invoice', schema: invoiceSchema },
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const refusal = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(refusal.param).toBe('response_format');
    expect(refusal.message).toMatch(/Model local-vision does not support schemas/);
    expect(refusal.message).toMatch(/local-structured/);
    expect(await countRowsByTable(api().deps.services.db)).toEqual(before);
  });

  it('gives every line of a batch its json_schema as the item’s schema', async () => {
    const lines = ['ACME 12.50', 'Globex 7'].map((content, index) => ({
      custom_id: `invoice-${index}`,
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'local-structured',
        messages: [{ role: 'user', content }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'invoice', schema: invoiceSchema, strict: true },
        },
      },
    }));
    const file = await openai.files.create({
      file: await toFile(
        Buffer.from(lines.map((line) => JSON.stringify(line)).join('\n')),
        'invoices.jsonl',
      ),
      purpose: 'batch',
    });
    const batch = await openai.batches.create({
      input_file_id: file.id,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    await waitFor(
      async () => (await openai.batches.retrieve(batch.id)).status === 'completed',
      'the batch to complete',
      20_000,
      50,
    );
    const { items } = await listPrompts(api().deps.services.db, { batchId: batch.id });
    expect(items).toHaveLength(2);
    const schemaIds = new Set(items.map((item) => item.schemaId));
    expect(schemaIds.size).toBe(1);
    const stored = await getStoredSchema(api().deps.services.db, [...schemaIds][0] ?? '');
    expect(stored?.content).toEqual(invoiceSchema);
  });
});

describe('OpenAI facade: json_schema.strict', () => {
  /** Strict mode cannot enforce it: `note` is optional. */
  const looseSchema = {
    type: 'object',
    properties: { vendor: { type: 'string' }, note: { type: 'string' } },
    required: ['vendor'],
  };

  it('sends strict: false upstream when the client asks for it, on a schema that could be strict', async () => {
    const completion = await openai.chat.completions.create({
      model: 'local-structured',
      messages: [{ role: 'user', content: 'Invoice from ACME' }],
      response_format: {
        type: 'json_schema',
        json_schema: { name: 'invoice', schema: invoiceSchema, strict: false },
      },
    });
    const row = await storedPrompt(completion.id);
    expect(row.status).toBe('succeeded');
    expect(row.options).toEqual({ strict_schema: false });
    expect(lastUpstreamBody().response_format).toEqual({
      type: 'json_schema',
      json_schema: { name: 'output', schema: invoiceSchema, strict: false },
    });
  });

  it('refuses strict: true on a schema strict mode cannot enforce, naming the field, storing nothing', async () => {
    const before = await countRowsByTable(api().deps.services.db);
    const error = await openai.chat.completions
      .create({
        model: 'local-structured',
        messages: [{ role: 'user', content: 'x' }],
        response_format: {
          type: 'json_schema',
          json_schema: { name: 'invoice', schema: looseSchema, strict: true },
        },
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const refusal = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(refusal.param).toBe('response_format.json_schema.strict');
    expect(refusal.message).toMatch(/additionalProperties: false/);
    expect(await countRowsByTable(api().deps.services.db)).toEqual(before);
  });
});

/** A streamed chunk's reasoning: `delta.reasoning_content`, which OpenAI's types do not name. */
function reasoningOf(chunk: OpenAI.ChatCompletionChunk): string | undefined {
  return (chunk.choices[0]?.delta as { reasoning_content?: string } | undefined)?.reasoning_content;
}

describe('OpenAI facade: streamed and reported reasoning', () => {
  it('streams a reasoning model’s reasoning as delta.reasoning_content before the content, with reasoning tokens in the usage', async () => {
    const stream = await openai.chat.completions.create({
      model: 'local-reasoner',
      messages: [{ role: 'user', content: 'think' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const row = await storedPrompt(chunks[0]?.id ?? '');
    const reasoningAt = chunks.flatMap((chunk, index) => (reasoningOf(chunk) ? [index] : []));
    const contentAt = chunks.flatMap((chunk, index) =>
      chunk.choices[0]?.delta.content ? [index] : [],
    );
    // The event log may merge the model's reasoning chunks into fewer: the order is what counts.
    expect(reasoningAt.length).toBeGreaterThan(0);
    expect(Math.max(...reasoningAt)).toBeLessThan(Math.min(...contentAt));
    expect(chunks.map((chunk) => reasoningOf(chunk) ?? '').join('')).toBe(row.reasoning);
    expect(chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('')).toBe('ok');
    expect(chunks.at(-1)?.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 10 });
  });

  it('gives a whole completion the reasoning as message.reasoning_content, and reasoning tokens', async () => {
    const completion = await openai.chat.completions.create({
      model: 'local-reasoner',
      messages: [{ role: 'user', content: 'think' }],
    });
    const message = completion.choices[0]?.message as { reasoning_content?: string } | undefined;
    expect(message?.reasoning_content).toBe('The user asks a question. I will answer it briefly.');
    expect(completion.choices[0]?.message.content).toBe('ok');
    expect(completion.usage?.completion_tokens_details).toEqual({ reasoning_tokens: 10 });
  });

  it('streams the echo model’s reasoning option the same way, and reports no reasoning tokens it did not count', async () => {
    const stream = await openai.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'answer' }],
      stream: true,
      stream_options: { include_usage: true },
      reasoning: 'First a thought, then another thought.',
      chunk_size: 8,
    } as OpenAI.ChatCompletionCreateParamsStreaming);
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    const reasoning = chunks.map((chunk) => reasoningOf(chunk) ?? '').join('');
    expect(reasoning).toBe('First a thought, then another thought.');
    const firstContent = chunks.findIndex((chunk) => chunk.choices[0]?.delta.content);
    const lastReasoning = chunks.findLastIndex((chunk) => reasoningOf(chunk) !== undefined);
    expect(lastReasoning).toBeLessThan(firstContent);
    expect(chunks.at(-1)?.usage).not.toHaveProperty('completion_tokens_details');
  });
});

describe('OpenAI facade: reasoning models', () => {
  it('honours max_completion_tokens and reasoning_effort, never sending max_tokens', async () => {
    const completion = await openai.chat.completions.create({
      model: 'local-reasoner',
      messages: [{ role: 'user', content: 'think' }],
      max_completion_tokens: 64,
      reasoning_effort: 'low',
    });
    const row = await storedPrompt(completion.id);
    expect(row.status).toBe('succeeded');
    expect(row.options).toEqual({ max_completion_tokens: 64, reasoning_effort: 'low' });
    const upstream = lastUpstreamBody();
    expect(upstream).toMatchObject({
      model: 'o4-mini',
      max_completion_tokens: 64,
      reasoning_effort: 'low',
    });
    expect(upstream).not.toHaveProperty('max_tokens');
    // The local server reasons before it answers, as a reasoning model does: kept apart.
    expect(row.reasoning).toBe('The user asks a question. I will answer it briefly.');
    expect(row.response).toBe('ok');
    expect(row.tokenDetails).toEqual({ completion_tokens_details: { reasoning_tokens: 10 } });
  });

  it('sends a lone max_tokens to a reasoning model as max_completion_tokens', async () => {
    const completion = await openai.chat.completions.create({
      model: 'local-reasoner',
      messages: [{ role: 'user', content: 'think' }],
      max_tokens: 32,
      temperature: 0.5,
    });
    const row = await storedPrompt(completion.id);
    // temperature is an OpenAI sampling field this model does not take: dropped, as before.
    expect(row.options).toEqual({ max_completion_tokens: 32 });
    expect(lastUpstreamBody()).toMatchObject({ max_completion_tokens: 32 });
    expect(lastUpstreamBody()).not.toHaveProperty('max_tokens');
    expect(lastUpstreamBody()).not.toHaveProperty('temperature');
  });

  it('refuses a reasoning_effort value the model does not know, naming the option', async () => {
    const error = await openai.chat.completions
      .create({
        model: 'local-reasoner',
        messages: [{ role: 'user', content: 'x' }],
        reasoning_effort: 'extreme' as 'low',
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).param).toBe('reasoning_effort');
  });
});
