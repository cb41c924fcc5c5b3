import type { AnthropicBatchRequest, AnthropicBatchScript } from '@llmq/testing';
import { makePng, waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';
import { type BatchBody, batchRequests, countsSum } from './batch-requests.fixture.ts';

/** What the local Anthropic server does with the next message batches; each test sets its own. */
let script: (requests: readonly AnthropicBatchRequest[]) => AnthropicBatchScript = () => ({});
let processingMs = 200;

const api = useApi({
  anthropicServer: {
    get batchProcessingMs() {
      return processingMs;
    },
    batchScript: (requests) => script(requests),
  },
  providerBatches: { pollMs: 100, maxRequests: 300 },
});

const { createBatch, getBatch, results, untilEnded, followBatch } = batchRequests(
  () => api().baseUrl,
);
const sum = countsSum;

/** The Messages requests the local server answered (each batch request is one). */
const answeredRequests = () =>
  (api().anthropic?.requests ?? []).filter((request) => request.path === '/v1/messages');

describe('provider batches (Anthropic Message Batches on the local server)', () => {
  it('runs 2,000 items over images as 7 message batches: every custom_id answered once, in order, consistent counts', async () => {
    script = () => ({});
    processingMs = 200;
    const { client, services } = api();
    const images: string[] = [];
    for (let index = 0; index < 10; index++) {
      images.push((await client.uploadAttachment(makePng(index * 20, 40, 90), 'image/png')).id);
    }
    const batch = await createBatch({
      model: 'claude-local',
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
    expect(items).toHaveLength(2_000);
    expect(new Set(items.map((event) => event.data.prompt_id)).size).toBe(2_000);
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
    // Split at 300 requests: 7 message batches, each ended, each answered at Anthropic once.
    const { providerBatchesOf } = await import('@llmq/db');
    const rows = await providerBatchesOf(services.database.db, batch.id);
    expect(rows.map((row) => row.requestCount)).toEqual([300, 300, 300, 300, 300, 300, 200]);
    expect(new Set(rows.map((row) => row.status))).toEqual(new Set(['ended']));
    expect(new Set(rows.map((row) => row.provider))).toEqual(new Set(['anthropic']));
    expect(new Set(rows.map((row) => row.providerBatchId)).size).toBe(7);
    // Every item's prompt id went up as a custom_id, was answered once, and carried its image as
    // a base64 image block, as a real-time call sends it.
    const sent = answeredRequests();
    expect(sent).toHaveLength(2_000);
    const first = sent[0]?.body as { messages: Array<{ content: Array<{ type: string }> }> };
    expect(first.messages[0]?.content.map((block) => block.type)).toEqual(['image', 'text']);
    // One `done` per item's log: no item was imported twice.
    for (const line of lines.slice(0, 200)) {
      const entries = await services.events.read(line.prompt_id);
      expect(entries.filter((entry) => entry.event.type === 'done')).toHaveLength(1);
    }
  });

  it('fails the item whose request errored with Anthropic’s reason and answers the rest', async () => {
    // The request that says "fail me" errors at Anthropic (its custom id is the item's prompt
    // id, known only once the batch exists).
    script = (requests) => ({
      fail: requests
        .filter((request) => JSON.stringify(request.params).includes('fail me'))
        .map((request) => request.custom_id),
    });
    processingMs = 20;
    const batch = await createBatch({
      model: 'claude-local',
      mode: 'provider',
      items: Array.from({ length: 6 }, (_, index) => ({
        custom_id: `p-${index}`,
        prompt: index === 2 ? 'fail me' : 'hi',
      })),
    });
    await untilEnded(batch.id);
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
      message: 'The model failed to answer (scripted) (api_error)',
    });
  });

  it('fails the items an expired message batch never ran with the reason', async () => {
    script = () => ({ expire: true, answerBeforeExpiry: 4 });
    processingMs = 50;
    const batch = await createBatch({
      model: 'claude-local',
      mode: 'provider',
      items: Array.from({ length: 10 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    await untilEnded(batch.id);
    expect((await getBatch(batch.id)).counts).toMatchObject({ succeeded: 4, failed: 6 });
    const lines = await results(batch.id);
    for (const line of lines.slice(0, 4)) expect(line.status).toBe('succeeded');
    for (const line of lines.slice(4)) {
      expect(line.error?.kind).toBe('ProviderBatchExpired');
      expect(line.error?.message).toMatch(/message batch expired/);
    }
  });

  it('cancel mid-run keeps what Anthropic finished and cancels the rest', async () => {
    script = () => ({});
    processingMs = 3_000;
    const before = answeredRequests().length;
    const batch = await createBatch({
      model: 'claude-local',
      mode: 'provider',
      items: Array.from({ length: 200 }, (_, index) => ({ prompt: `item ${index}` })),
    });
    await waitFor(
      async () => answeredRequests().length - before >= 20,
      'some requests answered',
      30_000,
      20,
    );
    const cancel = await fetch(`${api().baseUrl}/v1/batches/${batch.id}/cancel`, {
      method: 'POST',
    });
    expect(cancel.status).toBe(200);
    await untilEnded(batch.id, 'cancelled');
    const final = await getBatch(batch.id);
    expect(final.counts.succeeded).toBeGreaterThanOrEqual(20);
    expect(final.counts.cancelled).toBeGreaterThan(0);
    expect(final.counts.succeeded + final.counts.cancelled).toBe(200);
    const lines = await results(batch.id);
    expect(lines.filter((line) => line.status === 'succeeded').every((line) => line.text)).toBe(
      true,
    );
  });
  it('fails only the item whose results line cannot be read, and skips a line that names none', async () => {
    script = (requests) => ({
      garble: requests
        .filter((request) => JSON.stringify(request.params).includes('garble me'))
        .map((request) => request.custom_id),
      garbageLines: true,
    });
    processingMs = 20;
    const batch = await createBatch({
      model: 'claude-local',
      mode: 'provider',
      items: Array.from({ length: 4 }, (_, index) => ({
        prompt: index === 2 ? 'garble me' : 'hi',
      })),
    });
    await untilEnded(batch.id);
    const lines = await results(batch.id);
    expect(lines.map((line) => line.status)).toEqual([
      'succeeded',
      'succeeded',
      'failed',
      'succeeded',
    ]);
    expect(lines[2]?.error?.message).toMatch(/^unreadable result: /);
  });
});
