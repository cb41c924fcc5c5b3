import type { BatchInputLine, BatchScript } from '@llmq/testing';
import { makePng, waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';
import { type BatchBody, batchRequests, countsSum } from './batch-requests.fixture.ts';

/** What the local server does with the next batches it is given; each test sets its own. */
let script: (lines: readonly BatchInputLine[]) => BatchScript = () => ({});
let processingMs = 200;

const api = useApi({
  openaiServer: {
    get batchProcessingMs() {
      return processingMs;
    },
    batchScript: (lines) => script(lines),
  },
  providerBatches: { pollMs: 100, maxRequests: 300 },
  // Per million tokens; the batch prices are half, as OpenAI's Batch API charges.
  modelPrices: { 'local-vision': { input: 2, output: 8, batch_input: 1, batch_output: 4 } },
  // With structured outputs, for a schema's refused answers.
  pluginSettings: {
    LLMQ_OPENAI_MODELS: JSON.stringify([
      { id: 'local-vision', aliases: ['lv'], vision: true, schemas: true },
    ]),
  },
});

const { createBatch, getBatch, results, followBatch } = batchRequests(() => api().baseUrl);
const sum = countsSum;

/** The chat completions the local server answered (each batch line is one). */
const answeredLines = () =>
  api().openai.requests.filter((request) => request.path === '/v1/chat/completions').length;

describe('provider batches (OpenAI Batch API on the local server)', () => {
  it('runs 2,000 items over images as 7 provider batches: every item answered once, in order, consistent counts', async () => {
    script = () => ({});
    processingMs = 200;
    const { client, services } = api();
    const images: string[] = [];
    for (let index = 0; index < 10; index++) {
      images.push((await client.uploadAttachment(makePng(index * 20, 40, 90), 'image/png')).id);
    }
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      prompt: 'describe the image',
      items: Array.from({ length: 2_000 }, (_, index) => ({
        custom_id: `image-${index}`,
        attachments: [{ id: images[index % 10] }],
      })),
    });
    expect(batch.counts.total).toBe(2_000);
    const events = await followBatch(batch.id);
    const progress = events.filter((event) => event.event === 'progress' || event.event === 'done');
    expect(progress.length).toBeGreaterThan(1);
    for (const event of progress) {
      expect(sum(event.data.counts as BatchBody['counts'])).toBe(2_000);
    }
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { status: 'completed', counts: { succeeded: 2_000 } },
    });
    const items = events.filter((event) => event.event === 'item');
    expect(new Set(items.map((event) => event.data.prompt_id)).size).toBe(2_000);
    expect(items).toHaveLength(2_000);
    const lines = await results(batch.id);
    expect(lines.map((line) => line.index)).toEqual(Array.from({ length: 2_000 }, (_, i) => i));
    expect(lines.map((line) => line.custom_id)).toEqual(
      Array.from({ length: 2_000 }, (_, index) => `image-${index}`),
    );
    for (const line of lines) {
      expect(line.status).toBe('succeeded');
      expect(line.text).toBe('ok');
      expect(line.usage?.input).toBeGreaterThan(0);
    }
    // The cost at the batch prices, what real time would have cost, and the half saved.
    const input = lines.reduce((total, line) => total + (line.usage?.input ?? 0), 0);
    const output = lines.reduce((total, line) => total + (line.usage?.output ?? 0), 0);
    const atRealtime = (input * 2 + output * 8) / 1_000_000;
    const { cost } = (await getBatch(batch.id)) as BatchBody & {
      cost: { currency: string; actual: number; at_realtime_prices: number; saved: number };
    };
    expect(cost.currency).toBe('USD');
    expect(cost.at_realtime_prices).toBeCloseTo(atRealtime, 6);
    expect(cost.actual).toBeCloseTo(atRealtime / 2, 6);
    expect(cost.saved).toBeCloseTo(atRealtime / 2, 6);
    // Each item stored its cost at the batch prices, and the usage ledger counted each once.
    const item = await client.getPrompt(lines[0]?.prompt_id ?? '');
    expect(item.cost_usd).toBeCloseTo(
      ((item.usage?.input ?? 0) * 1 + (item.usage?.output ?? 0) * 4) / 1_000_000,
      12,
    );
    const { usageTotals } = await import('@llmq/db');
    const today = new Date().toISOString().slice(0, 10);
    const spent = await usageTotals(services.database.db, {
      from: today,
      to: today,
      groupBy: [],
      model: 'local-vision',
    });
    expect(spent.total).toMatchObject({
      requests: 2_000,
      inputTokens: input,
      outputTokens: output,
    });
    expect(spent.total.costUsd).toBeCloseTo(cost.actual, 6);
    // Split at 300 requests: 7 provider batches, each ended, each answered at the provider once.
    const { providerBatchesOf } = await import('@llmq/db');
    const rows = await providerBatchesOf(services.database.db, batch.id);
    expect(rows.map((row) => row.requestCount)).toEqual([300, 300, 300, 300, 300, 300, 200]);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['ended']));
    expect(new Set(rows.map((row) => row.providerBatchId)).size).toBe(7);
    // Each line carried its image, as a real-time call sends it.
    const sent = api().openai.requests.filter((request) => request.path === '/v1/chat/completions');
    const first = sent.find((request) =>
      JSON.stringify(request.body).includes('data:image/png;base64,'),
    );
    expect(first).toBeDefined();
    // One `done` per item's log: no item was imported twice.
    for (const line of lines.slice(0, 200)) {
      const entries = await services.events.read(line.prompt_id);
      expect(entries.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
      expect(entries.map((entry) => entry.event.type)).toEqual(['status', 'chunk', 'done']);
    }
  });

  it('counts the spend of answers their schema refused, at batch prices', async () => {
    script = () => ({});
    processingMs = 20;
    const { client, services } = api();
    const { usageTotals } = await import('@llmq/db');
    const ledger = () =>
      usageTotals(services.database.db, { from: '2000-01-01', to: '2999-12-31', groupBy: [] });
    const before = (await ledger()).total;
    // The local server answers a JSON prompt with itself, which this schema refuses.
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      schema: { type: 'object', properties: { name: { type: 'string' } }, required: ['name'] },
      items: Array.from({ length: 3 }, (_, index) => ({ prompt: `{"other": ${index}}` })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    const lines = await results(batch.id);
    expect(lines.map((line) => line.error?.kind)).toEqual(Array(3).fill('SchemaMismatchError'));
    // Each answer: 2 words in, 1 out (compact JSON), at the batch prices (1 and 4 per million).
    for (const line of lines) {
      expect((await client.getPrompt(line.prompt_id)).cost_usd).toBeCloseTo(6 / 1_000_000, 12);
    }
    const after = (await ledger()).total;
    expect(after.requests - before.requests).toBe(3);
    expect(after.inputTokens - before.inputTokens).toBe(6);
    expect(after.outputTokens - before.outputTokens).toBe(3);
    expect(after.costUsd - before.costUsd).toBeCloseTo(18 / 1_000_000, 12);
  });

  it('fails an expired provider batch’s unanswered items with the reason; retry runs them in real time', async () => {
    script = () => ({ expire: true, answerBeforeExpiry: 4 });
    processingMs = 50;
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 10 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    const ended = await getBatch(batch.id);
    expect(ended.counts).toMatchObject({ succeeded: 4, failed: 6 });
    const lines = await results(batch.id);
    for (const line of lines.slice(4)) {
      expect(line.error?.kind).toBe('ProviderBatchExpired');
      expect(line.error?.message).toMatch(/completion window expired/);
    }
    script = () => ({});
    const retried = await fetch(`${api().baseUrl}/v1/batches/${batch.id}/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(200);
    await waitFor(
      async () => (await getBatch(batch.id)).counts.succeeded === 10,
      'the retried items to succeed in real time',
      30_000,
      50,
    );
  });

  it('fails the items the provider failed with its reason and answers the rest', async () => {
    // The line whose request says "fail me" fails at the provider (its custom id is the item's
    // prompt id, known only once the batch exists).
    script = (lines) => ({
      fail: lines
        .filter((line) => JSON.stringify(line.body).includes('fail me'))
        .map((line) => line.custom_id),
    });
    processingMs = 20;
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 6 }, (_, index) => ({
        custom_id: `p-${index}`,
        prompt: index === 2 ? 'fail me' : 'hi',
      })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    const lines = await results(batch.id);
    expect(lines.map((line) => line.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(lines[2]?.error).toEqual({
      kind: 'ProviderBatchRequestFailed',
      message: '500 response: The model failed to answer (scripted)',
    });
  });

  it('creates one provider batch per chunk even when the submitter died between create and recording it', async () => {
    script = () => ({});
    processingMs = 20;
    const { services } = api();
    const { createBatch: writeBatch, providerBatchesOf, setBatchStatus } = await import('@llmq/db');
    const { newId } = await import('@llmq/core');
    const model = services.models.get('local-vision');
    const batchId = newId();
    const chunkId = newId();
    const items = Array.from({ length: 3 }, (_, index) => ({
      id: newId(),
      model: 'local-vision',
      prompt: `item ${index}`,
      options: {},
      attachments: [],
    }));
    await writeBatch(services.database.db, {
      id: batchId,
      model: 'local-vision',
      template: {},
      items,
      mode: 'provider',
      providerBatch: {
        id: chunkId,
        provider: model.batchApi?.provider ?? '',
        model: 'local-vision',
      },
    });
    // The submitter that died: it created the provider batch, labelled with the row's id, and
    // never recorded its id.
    const orphan = await model.batchApi?.create(
      items.map((item) => ({
        customId: item.id,
        body: { model: 'local-vision', messages: [{ role: 'user', content: item.prompt }] },
      })),
      { key: 'sk-test', reference: chunkId },
    );
    await services.providerBatches.submit(batchId);
    await setBatchStatus(services.database.db, batchId, ['validating'], { status: 'queued' });
    await waitFor(
      async () => (await getBatch(batchId)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    const rows = await providerBatchesOf(services.database.db, batchId);
    expect(rows.map((row) => row.providerBatchId)).toEqual([orphan]);
    const listed = (await (await fetch(`${api().openai.baseUrl}/batches`)).json()) as {
      data: Array<{ metadata: Record<string, string> | null }>;
    };
    expect(listed.data.filter((batch) => batch.metadata?.llmq_reference === chunkId)).toHaveLength(
      1,
    );
  });

  it('a second submitter that loses the race to record its chunk cancels the provider batch it made', async () => {
    processingMs = 3_000;
    const { services } = api();
    const {
      createBatch: writeBatch,
      getProviderBatch,
      setBatchStatus,
      setProviderBatch,
    } = await import('@llmq/db');
    const { newId } = await import('@llmq/core');
    const model = services.models.get('local-vision');
    const batchId = newId();
    const chunkId = newId();
    await writeBatch(services.database.db, {
      id: batchId,
      model: 'local-vision',
      template: {},
      items: [{ id: newId(), model: 'local-vision', prompt: 'hi', options: {}, attachments: [] }],
      mode: 'provider',
      providerBatch: {
        id: chunkId,
        provider: model.batchApi?.provider ?? '',
        model: 'local-vision',
      },
    });
    // The other submitter records its own provider batch while this one's create is answered.
    script = () => ({
      beforeAnswer: async () => {
        await setProviderBatch(services.database.db, chunkId, ['submitting'], {
          status: 'in_progress',
          providerBatchId: 'batch_of_the_other_submitter',
          requestCount: 1,
        });
      },
    });
    await services.providerBatches.submit(batchId);
    await setBatchStatus(services.database.db, batchId, ['validating'], { status: 'queued' });
    const ours = async () => {
      const listed = (await (await fetch(`${api().openai.baseUrl}/batches`)).json()) as {
        data: Array<{ status: string; metadata: Record<string, string> | null }>;
      };
      return listed.data.find((batch) => batch.metadata?.llmq_reference === chunkId);
    };
    await waitFor(
      async () => (await ours())?.status === 'cancelling' || (await ours())?.status === 'cancelled',
      'the duplicate to be cancelled',
      30_000,
      50,
    );
    const row = await getProviderBatch(services.database.db, chunkId);
    expect(row?.providerBatchId).toBe('batch_of_the_other_submitter');
    script = () => ({});
  });

  it('cancel mid-run keeps what the provider finished and cancels the rest', async () => {
    script = () => ({});
    processingMs = 3_000;
    const before = answeredLines();
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 200 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    await waitFor(async () => answeredLines() - before >= 20, 'some lines answered', 30_000, 20);
    const cancel = await fetch(`${api().baseUrl}/v1/batches/${batch.id}/cancel`, {
      method: 'POST',
    });
    expect(cancel.status).toBe(200);
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'cancelled',
      'the batch to be cancelled',
      30_000,
      50,
    );
    const final = await getBatch(batch.id);
    expect(final.counts.succeeded).toBeGreaterThanOrEqual(20);
    expect(final.counts.cancelled).toBeGreaterThan(0);
    expect(final.counts.succeeded + final.counts.cancelled).toBe(200);
    const lines = await results(batch.id);
    expect(lines.filter((line) => line.status === 'succeeded').every((line) => line.text)).toBe(
      true,
    );
  });

  it('fails only the item whose result line cannot be read, and skips a line that names none', async () => {
    script = (lines) => ({
      garble: lines
        .filter((line) => JSON.stringify(line.body).includes('garble me'))
        .map((line) => line.custom_id),
      garbageLines: true,
    });
    processingMs = 20;
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 5 }, (_, index) => ({
        prompt: index === 1 ? 'garble me' : 'hi',
      })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    const lines = await results(batch.id);
    expect(lines.map((line) => line.status)).toEqual([
      'succeeded',
      'failed',
      'succeeded',
      'succeeded',
      'succeeded',
    ]);
    expect(lines[1]?.error?.kind).toBe('ProviderBatchRequestFailed');
    expect(lines[1]?.error?.message).toMatch(/^unreadable result: /);
  });

  it('ends a provider batch its job cannot follow failed, with its items; retry runs them in real time', async () => {
    // The provider forgets the batch: every poll is refused (404), which no retry mends.
    script = () => ({ forget: true });
    processingMs = 20;
    const { services } = api();
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 4 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    expect((await getBatch(batch.id)).counts).toMatchObject({ failed: 4 });
    for (const line of await results(batch.id)) {
      expect(line.error?.kind).toBe('ProviderBatchFailed');
      expect(line.error?.message).toMatch(/batch/i);
    }
    const { providerBatchesOf } = await import('@llmq/db');
    const [row] = await providerBatchesOf(services.database.db, batch.id);
    expect(row?.status).toBe('failed');
    expect(row?.error).toBeTruthy();
    script = () => ({});
    const retried = await fetch(`${api().baseUrl}/v1/batches/${batch.id}/retry`, {
      method: 'POST',
    });
    expect(retried.status).toBe(200);
    await waitFor(
      async () => (await getBatch(batch.id)).counts.succeeded === 4,
      'the retried items to succeed in real time',
      30_000,
      50,
    );
  });

  it('fails a chunk whose create the provider refuses, with the reason, and leaves nothing submitting', async () => {
    script = () => ({ refuseCreate: 'The batch input file is larger than the 200 MB maximum' });
    processingMs = 20;
    const { services } = api();
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 3 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    for (const line of await results(batch.id)) {
      expect(line.status).toBe('failed');
      expect(line.error?.message).toMatch(/refused the batch: .*larger than the 200 MB maximum/);
    }
    const { providerBatchesOf } = await import('@llmq/db');
    const rows = await providerBatchesOf(services.database.db, batch.id);
    expect(rows.map((row) => row.status)).toEqual(['failed']);
  });

  it('fails alone an item whose request cannot be built and sends the rest', async () => {
    script = () => ({});
    processingMs = 20;
    const { services } = api();
    const { createBatch: writeBatch, setBatchStatus } = await import('@llmq/db');
    const { newId } = await import('@llmq/core');
    const model = services.models.get('local-vision');
    const batchId = newId();
    const items = Array.from({ length: 3 }, (_, index) => ({
      id: newId(),
      model: 'local-vision',
      prompt: `item ${index}`,
      // Written past the submit-time checks: an option the model refuses when it builds.
      options: index === 1 ? { temperature: 'very hot' } : {},
      attachments: [],
    }));
    await writeBatch(services.database.db, {
      id: batchId,
      model: 'local-vision',
      template: {},
      items,
      mode: 'provider',
      providerBatch: {
        id: newId(),
        provider: model.batchApi?.provider ?? '',
        model: 'local-vision',
      },
    });
    await services.providerBatches.submit(batchId);
    await setBatchStatus(services.database.db, batchId, ['validating'], { status: 'queued' });
    await waitFor(
      async () => (await getBatch(batchId)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
    const lines = await results(batchId);
    expect(lines.map((line) => line.status)).toEqual(['succeeded', 'failed', 'succeeded']);
    expect(lines[1]?.error?.message).toMatch(/^The request could not be built: /);
  });

  it('asks the provider to cancel again each round when it refused the cancel', async () => {
    script = () => ({ refuseCancels: 2 });
    processingMs = 3_000;
    const batch = await createBatch({
      model: 'local-vision',
      mode: 'provider',
      items: Array.from({ length: 50 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    const { services } = api();
    const { providerBatchesOf } = await import('@llmq/db');
    await waitFor(
      async () =>
        (await providerBatchesOf(services.database.db, batch.id))[0]?.status === 'in_progress',
      'the provider batch to be created',
      30_000,
      20,
    );
    const cancel = await fetch(`${api().baseUrl}/v1/batches/${batch.id}/cancel`, {
      method: 'POST',
    });
    expect(cancel.status).toBe(200);
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'cancelled',
      'the batch to be cancelled',
      30_000,
      50,
    );
    expect((await getBatch(batch.id)).counts.cancelled).toBeGreaterThan(0);
  });

  it('refuses provider mode for a model without a batch API, naming those with one, and creates nothing', async () => {
    const response = await fetch(`${api().baseUrl}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'echo', mode: 'provider', items: [{ prompt: 'hi' }] }),
    });
    const problem = await problemOf(response, 422);
    expect(problem.detail).toMatch(/echo has no provider batch API/);
    expect(problem.detail).toMatch(/local-vision/);
  });

  it('auto mode runs a model without a batch API in real time', async () => {
    const batch = await createBatch({ model: 'echo', mode: 'auto', items: [{ prompt: 'hi' }] });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to end',
      30_000,
      50,
    );
  });
});
