import { makePng, waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';
import { type BatchBody, batchRequests, countsSum } from './batch-requests.fixture.ts';

const api = useApi();

const { createBatch, getBatch, results, followBatch } = batchRequests(() => api().baseUrl);
const sum = countsSum;

describe('batches', () => {
  it('runs 1,000 items over 20 uploaded images: consistent progress, results by custom_id', async () => {
    const { client } = api();
    const images: string[] = [];
    for (let index = 0; index < 20; index++) {
      images.push(
        (await client.uploadAttachment(makePng(index * 10, 255 - index * 10, 7), 'image/png')).id,
      );
    }
    const batch = await createBatch({
      model: 'echo',
      prompt: 'describe the image',
      options: { chunk_size: 64 },
      items: Array.from({ length: 1_000 }, (_, index) => ({
        custom_id: `item-${index}`,
        attachments: [{ id: images[index % 20] }],
      })),
    });
    expect(['validating', 'queued', 'running']).toContain(batch.status);
    expect(batch.counts.total).toBe(1_000);
    expect(sum(batch.counts)).toBe(1_000);
    const events = await followBatch(batch.id);
    const progress = events.filter((event) => event.event === 'progress' || event.event === 'done');
    expect(progress.length).toBeGreaterThan(1);
    for (const event of progress) {
      expect(sum(event.data.counts as BatchBody['counts'])).toBe(1_000);
    }
    expect(events.at(-1)).toMatchObject({
      event: 'done',
      data: { status: 'completed', counts: { succeeded: 1_000 } },
    });
    const items = events.filter((event) => event.event === 'item');
    expect(items).toHaveLength(1_000);
    expect(new Set(items.map((event) => event.data.custom_id)).size).toBe(1_000);
    // Resuming after the 600th item event gives exactly the 400 after it.
    const resumed = (await followBatch(batch.id, true, items[599]?.id)).filter(
      (event) => event.event === 'item',
    );
    expect(resumed.map((event) => event.data.prompt_id)).toEqual(
      items.slice(600).map((event) => event.data.prompt_id),
    );
    const lines = await results(batch.id);
    expect(lines.map((line) => line.index)).toEqual(
      Array.from({ length: 1_000 }, (_, index) => index),
    );
    const byCustomId = new Map(lines.map((line) => [line.custom_id, line]));
    for (let index = 0; index < 1_000; index += 97) {
      const line = byCustomId.get(`item-${index}`);
      expect(line?.status).toBe('succeeded');
      const described = JSON.parse(line?.text ?? '{}');
      expect(described.prompt).toBe('describe the image');
      expect(described.attachments[0].id).toBe(images[index % 20]);
    }
    // Items are ordinary prompts.
    const one = await client.getPrompt(lines[5]?.prompt_id ?? '');
    expect(one).toMatchObject({ batch_id: batch.id, custom_id: 'item-5', status: 'succeeded' });
  });

  it('cancels halfway: queued items at once, finished results kept, the statuses sum to the total', async () => {
    const batch = await createBatch({
      model: 'echo',
      options: { delay_ms: 5, chunk_size: 400 },
      items: Array.from({ length: 400 }, (_, index) => ({
        custom_id: `c-${index}`,
        prompt: `item ${index}`,
      })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).counts.succeeded >= 40,
      'some items to finish',
      30_000,
      50,
    );
    const cancelled = (await (
      await fetch(`${api().baseUrl}/v1/batches/${batch.id}/cancel`, { method: 'POST' })
    ).json()) as BatchBody;
    expect(['cancelled', 'cancelling']).toContain(cancelled.status);
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'cancelled',
      'the batch to be cancelled',
      30_000,
      50,
    );
    const final = await getBatch(batch.id);
    expect(final.counts.succeeded + final.counts.cancelled + final.counts.failed).toBe(400);
    expect(final.counts.succeeded).toBeGreaterThanOrEqual(40);
    expect(final.counts.cancelled).toBeGreaterThan(0);
    const lines = await results(batch.id);
    expect(lines.filter((line) => line.status === 'succeeded').every((line) => line.text)).toBe(
      true,
    );
    expect((await results(batch.id, '?status=cancelled')).length).toBe(final.counts.cancelled);
    await problemOf(
      await fetch(`${api().baseUrl}/v1/batches/${batch.id}/retry`, { method: 'POST' }),
      409,
    );
  });

  it('retries only the failed items', async () => {
    const { openai } = api();
    openai.requests.length = 0;
    openai.enqueue(
      { status: 400, error: { message: 'bad request one' } },
      { status: 400, error: { message: 'bad request two' } },
      { status: 400, error: { message: 'bad request three' } },
    );
    const batch = await createBatch({
      model: 'lv',
      items: Array.from({ length: 10 }, (_, index) => ({
        custom_id: `r-${index}`,
        prompt: `question ${index}`,
      })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to complete',
      30_000,
      50,
    );
    const first = await getBatch(batch.id);
    expect(first.counts).toMatchObject({ succeeded: 7, failed: 3 });
    const failed = await results(batch.id, '?status=failed');
    expect(failed.map((line) => line.error?.message)).toEqual(
      expect.arrayContaining([expect.stringContaining('bad request')]),
    );
    const before = openai.requests.length;
    const retried = (await (
      await fetch(`${api().baseUrl}/v1/batches/${batch.id}/retry`, { method: 'POST' })
    ).json()) as BatchBody;
    expect(retried.counts.queued + retried.counts.running + retried.counts.succeeded).toBe(10);
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the retried batch to complete',
      30_000,
      50,
    );
    expect((await getBatch(batch.id)).counts).toMatchObject({ succeeded: 10, failed: 0 });
    expect(openai.requests.length - before).toBe(3);
    const asked = openai.requests
      .slice(before)
      .map(
        (request) =>
          (request.body as { messages: Array<{ content: string }> }).messages[0]?.content,
      );
    expect(new Set(asked)).toEqual(
      new Set(failed.map((line) => `question ${line.custom_id?.slice(2)}`)),
    );
  });

  it('refuses a JSONL file with a bad line 37, naming the line, and creates nothing', async () => {
    const before = (
      (await (await fetch(`${api().baseUrl}/v1/batches`)).json()) as { data: unknown[] }
    ).data.length;
    const lines = Array.from({ length: 50 }, (_, index) =>
      JSON.stringify({ custom_id: `j-${index}`, prompt: `p ${index}` }),
    );
    lines[36] = '{"custom_id": "j-36", "prompt": ';
    const form = new FormData();
    form.append('model', 'echo');
    form.append('file', new Blob([lines.join('\n')]), 'items.jsonl');
    const problem = await problemOf(
      await fetch(`${api().baseUrl}/v1/batches`, { method: 'POST', body: form }),
      422,
    );
    expect(problem.detail).toMatch(/^line 37: not valid JSON/);
    lines[36] = JSON.stringify({ custom_id: 'j-36', prompt: 'p', options: { chunk_size: 0 } });
    const invalidItem = new FormData();
    invalidItem.append('model', 'echo');
    invalidItem.append('file', new Blob([lines.join('\n')]), 'items.jsonl');
    const itemProblem = await problemOf(
      await fetch(`${api().baseUrl}/v1/batches`, { method: 'POST', body: invalidItem }),
      422,
    );
    expect(itemProblem.detail).toMatch(/^line 37: Option 'chunk_size'/);
    const after = (
      (await (await fetch(`${api().baseUrl}/v1/batches`)).json()) as { data: unknown[] }
    ).data.length;
    expect(after).toBe(before);
  });

  it('accepts a JSONL file with the template in form fields', async () => {
    const form = new FormData();
    form.append(
      'file',
      new Blob(['{"custom_id":"a"}\n\n{"custom_id":"b","prompt":"own"}\n']),
      'items.jsonl',
    );
    form.append('model', 'echo');
    form.append('prompt', 'shared');
    form.append('options', '{"chunk_size": 100}');
    const response = await fetch(`${api().baseUrl}/v1/batches`, { method: 'POST', body: form });
    expect(response.status).toBe(201);
    const batch = (await response.json()) as BatchBody;
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to complete',
      30_000,
      50,
    );
    const lines = await results(batch.id);
    expect(lines.map((line) => JSON.parse(line.text ?? '{}').prompt)).toEqual(['shared', 'own']);
  });

  it('names each invalid item of a JSON batch and creates nothing', async () => {
    const response = await fetch(`${api().baseUrl}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'echo',
        items: [
          { custom_id: 'x', prompt: 'fine' },
          { custom_id: 'x', prompt: 'duplicate' },
          { prompt: 'bad', colour: 'red' },
          { attachments: [{ id: 'f'.repeat(64) }] },
          {},
        ],
      }),
    });
    const problem = await problemOf(response, 422);
    expect(problem.errors?.map((error) => error.path)).toEqual([
      'items[1]',
      'items[2]',
      'items[4]',
      'items[3]',
    ]);
    expect(problem.errors?.[0]?.message).toContain('custom_id "x" is used by an earlier item');
    expect(problem.errors?.[2]?.message).toContain('give a prompt');
    expect(problem.errors?.[3]?.message).toContain('upload the bytes');
    await problemOf(
      await fetch(`${api().baseUrl}/v1/batches`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'nope', items: [{ prompt: 'x' }] }),
      }),
      404,
    );
  });

  it('finishes an interactive prompt sent during a big batch before the batch', async () => {
    const { client } = api();
    const batch = await createBatch({
      model: 'echo',
      options: { delay_ms: 20, chunk_size: 500 },
      items: Array.from({ length: 1_000 }, (_, index) => ({ prompt: `bulk ${index}` })),
    });
    await waitFor(
      async () => (await getBatch(batch.id)).counts.running > 0,
      'the batch to start',
      30_000,
      20,
    );
    const interactive = await client.createPrompt(
      { model: 'echo', prompt: 'me first' },
      { wait: true, waitSeconds: 30 },
    );
    expect(interactive.status).toBe('succeeded');
    const during = await getBatch(batch.id);
    expect(during.status).toBe('running');
    expect(during.counts.queued).toBeGreaterThan(0);
    await fetch(`${api().baseUrl}/v1/batches/${batch.id}/cancel`, { method: 'POST' });
  });

  it("completes a batch whose acceptance was interrupted, at the fleet reconciler's next pass", async () => {
    const { services } = api().deps;
    const { createBatch: writeBatch } = await import('@llmq/db');
    const { newId } = await import('@llmq/core');
    const { reconcilePrompts } = await import('@llmq/engine');
    const { pino } = await import('pino');
    // As a crash after the rows were written and before the jobs were added leaves it.
    const batch = await writeBatch(services.db, {
      id: newId(),
      model: 'echo',
      template: {},
      items: Array.from({ length: 5 }, (_, index) => ({
        id: newId(),
        model: 'echo',
        prompt: `lost ${index}`,
        options: {},
        attachments: [],
      })),
    });
    expect((await getBatch(batch.id)).status).toBe('validating');
    const report = await reconcilePrompts({
      ...services,
      logger: pino({ level: 'silent' }),
      graceMs: 0,
    });
    expect(report.batchesResumed).toBeGreaterThanOrEqual(1);
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the resumed batch to complete',
      30_000,
      50,
    );
    expect((await getBatch(batch.id)).counts.succeeded).toBe(5);
  });

  it('keeps a batch whose jobs cannot be queued, items queued, and completes it once they can', async () => {
    const { services } = api().deps;
    const { enqueueBatch, reconcilePrompts } = await import('@llmq/engine');
    const { createBatch: writeBatch } = await import('@llmq/db');
    const { newId } = await import('@llmq/core');
    const { pino } = await import('pino');
    const batch = await writeBatch(services.db, {
      id: newId(),
      model: 'echo',
      template: {},
      items: [{ id: newId(), model: 'echo', prompt: 'queued later', options: {}, attachments: [] }],
    });
    const broken = {
      ...services,
      queue: {
        addBulk: async () => Promise.reject(new Error('Redis went away')),
      } as unknown as typeof services.queue,
    };
    await expect(enqueueBatch(broken, batch)).rejects.toThrow('Redis went away');
    const waiting = await getBatch(batch.id);
    expect(waiting).toMatchObject({ status: 'validating', counts: { total: 1, queued: 1 } });
    await reconcilePrompts({ ...services, logger: pino({ level: 'silent' }), graceMs: 0 });
    await waitFor(
      async () => (await getBatch(batch.id)).status === 'completed',
      'the batch to complete once its jobs could be queued',
      30_000,
      50,
    );
    expect((await getBatch(batch.id)).counts.succeeded).toBe(1);
  });

  it('answers unknown batch ids with 404', async () => {
    for (const path of ['', '/results', '/stream']) {
      await problemOf(
        await fetch(`${api().baseUrl}/v1/batches/01jzzzzzzzzzzzzzzzzzzzzzzz${path}`),
        404,
      );
    }
    await problemOf(
      await fetch(`${api().baseUrl}/v1/batches/nope/cancel`, { method: 'POST' }),
      404,
    );
  });
});
