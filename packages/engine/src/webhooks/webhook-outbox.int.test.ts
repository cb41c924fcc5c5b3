import { newId } from '@llmq/core';
import {
  batches,
  createBatch,
  createQueuedPrompt,
  executeRows,
  requeueFailedBatchItems,
  responses,
  type WebhookDeliveryRow,
  webhookDeliveries,
} from '@llmq/db';
import { getWebhookDelivery } from '@llmq/db/reads';
import { createRedisConnection } from '@llmq/queue';
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useEngineHarness } from '../engine.fixture.ts';
import { retryWebhookDelivery } from './retry-webhook-delivery.ts';
import { runWebhookOutbox } from './webhook-outbox.ts';
import { WebhookQueue } from './webhook-queue.ts';

const harness = useEngineHarness();
const url = 'https://hooks.example.com/llmq';

describe('the webhook outbox', () => {
  let connection: Redis;
  let queue: WebhookQueue;

  beforeAll(() => {
    connection = createRedisConnection(harness().redisUrl, { name: 'webhook-outbox-test' });
    queue = new WebhookQueue(connection, { prefix: harness().prefix, maxAttempts: 3 });
  });

  afterAll(async () => {
    await queue.close();
    connection.disconnect();
  });

  const db = () => harness().database.db;
  const pass = (overdueMs = 60_000) => runWebhookOutbox({ db: db(), queue, overdueMs });

  async function promptThat(
    status: 'queued' | 'succeeded' | 'failed' | 'cancelled',
    hook?: string,
  ) {
    const id = newId();
    await createQueuedPrompt(db(), {
      id,
      model: 'echo',
      prompt: `a ${status} prompt`,
      options: {},
      conversationId: newId(),
      attachments: [],
      webhookUrl: hook,
    });
    await db()
      .update(responses)
      .set({ status, response: status === 'succeeded' ? 'answer' : null, completedAt: new Date() })
      .where(eq(responses.id, id));
    return id;
  }

  async function batchWith(itemStatuses: ReadonlyArray<'queued' | 'succeeded' | 'failed'>) {
    const id = newId();
    const items = itemStatuses.map((_, index) => ({
      id: newId(),
      model: 'echo',
      prompt: `item ${index}`,
      options: {},
      attachments: [],
    }));
    await createBatch(db(), { id, model: 'echo', template: {}, items, webhookUrl: url });
    await db().update(batches).set({ status: 'running' }).where(eq(batches.id, id));
    for (const [index, status] of itemStatuses.entries()) {
      await db()
        .update(responses)
        .set({ status })
        .where(eq(responses.id, items[index]?.id as string));
    }
    return id;
  }

  const deliveriesOf = (subjectIds: string[]): Promise<WebhookDeliveryRow[]> =>
    db().select().from(webhookDeliveries).where(inArray(webhookDeliveries.subjectId, subjectIds));

  it('writes one delivery per ended prompt and batch, once, with a job each', async () => {
    const succeeded = await promptThat('succeeded', url);
    const failed = await promptThat('failed', url);
    const cancelled = await promptThat('cancelled', url);
    const running = await promptThat('queued', url);
    const silent = await promptThat('succeeded');
    const done = await batchWith(['succeeded', 'failed']);
    const unfinished = await batchWith(['succeeded', 'queued']);
    const subjects = [succeeded, failed, cancelled, running, silent, done, unfinished];

    const first = await pass();
    const rows = await deliveriesOf(subjects);
    const bySubject = new Map(rows.map((row) => [row.subjectId, row]));
    expect(rows).toHaveLength(3);
    expect(bySubject.get(succeeded)?.eventType).toBe('prompt.succeeded');
    expect(bySubject.get(failed)?.eventType).toBe('prompt.failed');
    expect(bySubject.get(done)?.eventType).toBe('batch.completed');
    expect(first.written).toBeGreaterThanOrEqual(3);
    const payload = JSON.parse(bySubject.get(done)?.payload ?? '{}');
    expect(payload).toMatchObject({
      type: 'batch.completed',
      data: { id: done, status: 'completed', counts: { total: 2, succeeded: 1, failed: 1 } },
    });
    // The batch's status is written back as a read would: listings agree with the webhook.
    const [stored] = await db().select().from(batches).where(eq(batches.id, done));
    expect(stored?.status).toBe('completed');
    for (const row of rows) {
      expect(await queue.queue.getJob(row.id)).toBeDefined();
    }

    // A cancelled prompt reports nothing: it is never claimed (the outbox's scan and its index
    // leave it out); an unfinished one waits.
    const [cancelledRow] = await db().select().from(responses).where(eq(responses.id, cancelled));
    expect(cancelledRow?.webhookQueuedAt).toBeNull();
    const [runningRow] = await db().select().from(responses).where(eq(responses.id, running));
    expect(runningRow?.webhookQueuedAt).toBeNull();

    await pass();
    expect(await deliveriesOf(subjects)).toHaveLength(3);

    // The unfinished batch ends: the next pass writes its delivery.
    await db()
      .update(responses)
      .set({ status: 'succeeded' })
      .where(eq(responses.batchId, unfinished));
    await pass();
    const [late] = await deliveriesOf([unfinished]);
    expect(late?.eventType).toBe('batch.completed');
  });

  it('reports batch.failed for a failed batch and batch.cancelled once a cancelling one has stopped', async () => {
    const failed = await batchWith(['queued', 'queued']);
    await db()
      .update(batches)
      .set({ status: 'failed', error: 'queueing failed' })
      .where(eq(batches.id, failed));
    const cancelling = await batchWith(['succeeded', 'queued']);
    await db().update(batches).set({ status: 'cancelling' }).where(eq(batches.id, cancelling));
    await pass();
    // Still an item to stop: the cancel has not ended yet.
    expect(await deliveriesOf([cancelling])).toEqual([]);
    const [failedDelivery] = await deliveriesOf([failed]);
    expect(JSON.parse(failedDelivery?.payload ?? '{}')).toMatchObject({
      type: 'batch.failed',
      data: { status: 'failed', error: 'queueing failed' },
    });
    await db()
      .update(responses)
      .set({ status: 'cancelled' })
      .where(and(eq(responses.batchId, cancelling), eq(responses.status, 'queued')));
    await pass();
    const [cancelledDelivery] = await deliveriesOf([cancelling]);
    expect(cancelledDelivery?.eventType).toBe('batch.cancelled');
    const [stored] = await db().select().from(batches).where(eq(batches.id, cancelling));
    expect(stored?.status).toBe('cancelled');
  });

  it('reports a retried batch again when it ends again, as a new delivery', async () => {
    const batch = await batchWith(['succeeded', 'failed']);
    await pass();
    const [first] = await deliveriesOf([batch]);
    expect(JSON.parse(first?.payload ?? '{}')).toMatchObject({
      type: 'batch.completed',
      data: { counts: { succeeded: 1, failed: 1 } },
    });

    const requeue = await requeueFailedBatchItems(db(), batch);
    expect(requeue.outcome).toBe('requeued');
    await pass();
    // Its requeued item has not ended: nothing new yet.
    expect(await deliveriesOf([batch])).toHaveLength(1);

    await db().update(responses).set({ status: 'succeeded' }).where(eq(responses.batchId, batch));
    await pass();
    const deliveries = await deliveriesOf([batch]);
    expect(deliveries).toHaveLength(2);
    const second = deliveries.find((delivery) => delivery.id !== first?.id);
    expect(JSON.parse(second?.payload ?? '{}')).toMatchObject({
      type: 'batch.completed',
      data: { status: 'completed', counts: { succeeded: 2, failed: 0 } },
    });
    await pass();
    expect(await deliveriesOf([batch])).toHaveLength(2);
  });

  it('counts a batch only once its row is claimed: a retry committing meanwhile is seen, not reported as an end', async () => {
    const batch = await batchWith(['succeeded', 'failed']);
    let commitRetry: () => void = () => undefined;
    const retryHeld = new Promise<void>((resolve) => {
      commitRetry = resolve;
    });
    let retryLocked: () => void = () => undefined;
    const locked = new Promise<void>((resolve) => {
      retryLocked = resolve;
    });
    // A retry as requeueFailedBatchItems makes it: the batch's row locked first, then the failed
    // item queued again and the batch queued, committed only when the test says.
    const retry = db().transaction(async (tx) => {
      await tx.select().from(batches).where(eq(batches.id, batch)).for('update');
      await tx
        .update(responses)
        .set({ status: 'queued' })
        .where(and(eq(responses.batchId, batch), eq(responses.status, 'failed')));
      await tx.update(batches).set({ status: 'queued' }).where(eq(batches.id, batch));
      retryLocked();
      await retryHeld;
    });
    await locked;
    // The pass read the batch as ended (the retry is not committed) and waits on its row.
    const running = pass();
    await waitForLockWait();
    commitRetry();
    await retry;
    await running;
    expect(await deliveriesOf([batch])).toEqual([]);
    const [stored] = await db().select().from(batches).where(eq(batches.id, batch));
    expect(stored?.webhookQueuedAt).toBeNull();
    expect(stored?.status).toBe('queued');
  });

  /** Until some statement of this database waits for a row lock (the pass's claim). */
  async function waitForLockWait(): Promise<void> {
    for (;;) {
      const waiting = await executeRows<{ waiting: number }>(
        db(),
        sql`select count(*)::int as waiting from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock'`,
      );
      if ((waiting[0]?.waiting ?? 0) > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('adds again the job of a pending delivery whose job was lost, once per grace period', async () => {
    const prompt = await promptThat('succeeded', url);
    await pass();
    const [delivery] = await deliveriesOf([prompt]);
    const id = delivery?.id as string;
    // As if the process died between the commit and the add.
    await (await queue.queue.getJob(id))?.remove();
    expect(await queue.queue.getJob(id)).toBeUndefined();
    await db()
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 120_000) })
      .where(eq(webhookDeliveries.id, id));

    const found = await pass();
    expect(found.readded).toBe(1);
    expect(await queue.queue.getJob(id)).toBeDefined();
    expect((await pass()).readded).toBe(0);
  });

  it('retries a failed delivery with a new round, and refuses to retry one not failed', async () => {
    const prompt = await promptThat('succeeded', url);
    await pass();
    const [delivery] = await deliveriesOf([prompt]);
    const id = delivery?.id as string;
    await expect(retryWebhookDelivery(db(), id)).rejects.toThrow(/only a failed delivery/);
    await (await queue.queue.getJob(id))?.remove();
    await db()
      .update(webhookDeliveries)
      .set({ status: 'failed', attempts: 3, endedAt: new Date(), nextAttemptAt: null })
      .where(eq(webhookDeliveries.id, id));
    await expect(retryWebhookDelivery(db(), id, 'someone-else')).rejects.toThrow(
      /No webhook delivery/,
    );
    const reopened = await retryWebhookDelivery(db(), id);
    expect(reopened.status).toBe('pending');
    expect((await pass()).readded).toBe(1);
    expect(await queue.queue.getJob(id)).toBeDefined();
    expect((await getWebhookDelivery(db(), id))?.attempts).toBe(3);
  });
});
