import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createQueuedPrompt } from './create-queued-prompt.ts';
import { drivers, useDatabase } from './database.fixture.ts';
import { executeRows } from './execute-rows.ts';
import { responses, webhookDeliveries } from './schema.ts';
import {
  beginWebhookAttempt,
  cutAttemptError,
  getWebhookDelivery,
  listWebhookDeliveries,
  recordWebhookAttempt,
  reopenWebhookDelivery,
} from './webhook-deliveries.ts';
import {
  claimEndedWebhookPrompts,
  dueWebhookPromptsQuery,
  insertWebhookDeliveries,
  takeOverdueWebhookDeliveries,
} from './webhook-outbox.ts';

describe.each(drivers)('webhook deliveries on %s', (driver) => {
  const database = useDatabase(driver);
  const db = () => database().db;
  let next = 0;
  const id = (kind: string) => `${kind}-${driver}-${++next}`;

  async function endedPrompt(owner: string | null): Promise<string> {
    const promptId = id('prompt');
    await createQueuedPrompt(db(), {
      id: promptId,
      model: 'echo',
      prompt: 'p',
      options: {},
      conversationId: id('conversation'),
      attachments: [],
      owner,
      webhookUrl: 'https://hooks.example.com/',
    });
    await db().update(responses).set({ status: 'succeeded' }).where(eq(responses.id, promptId));
    return promptId;
  }

  it('claims an ended prompt once, and counts, records and lists its attempts', async () => {
    const promptId = await endedPrompt('ana');
    const claimed = await db().transaction((tx) => claimEndedWebhookPrompts(tx, 100));
    expect(claimed.map((row) => row.id)).toContain(promptId);
    expect(await db().transaction((tx) => claimEndedWebhookPrompts(tx, 100))).toEqual([]);

    const deliveryId = id('delivery');
    await insertWebhookDeliveries(db(), [
      {
        id: deliveryId,
        owner: 'ana',
        eventType: 'prompt.succeeded',
        subjectKind: 'prompt',
        subjectId: promptId,
        url: 'https://hooks.example.com/',
        payload: '{}',
      },
    ]);
    const first = await beginWebhookAttempt(db(), deliveryId, 60_000, 5);
    expect(first.kind === 'send' && first.delivery.attempts).toBe(1);
    await recordWebhookAttempt(db(), {
      deliveryId,
      attempt: 1,
      startedAt: new Date(),
      durationMs: 12,
      statusCode: 500,
      error: 'the receiver answered 500',
      status: 'pending',
      nextAttemptAt: new Date(Date.now() + 1_000),
    });
    const second = await beginWebhookAttempt(db(), deliveryId, 60_000, 5);
    if (second.kind !== 'send') throw new Error(`the second attempt was not begun: ${second.kind}`);
    await recordWebhookAttempt(db(), {
      deliveryId,
      attempt: second.delivery.attempts,
      startedAt: new Date(),
      durationMs: 7,
      statusCode: 204,
      error: null,
      status: 'delivered',
    });
    // Delivered: a repeated job finds nothing to send.
    expect(await beginWebhookAttempt(db(), deliveryId, 60_000, 5)).toEqual({ kind: 'nothing' });

    const delivery = await getWebhookDelivery(db(), deliveryId, 'ana');
    expect(delivery?.status).toBe('delivered');
    expect(delivery?.endedAt).not.toBeNull();
    expect(delivery?.attemptRows.map((row) => [row.attempt, row.statusCode])).toEqual([
      [1, 500],
      [2, 204],
    ]);
    expect(await getWebhookDelivery(db(), deliveryId, 'bob')).toBeUndefined();
    const listed = await listWebhookDeliveries(db(), {
      owner: 'ana',
      subjectId: promptId,
      status: 'delivered',
      limit: 10,
    });
    expect(listed.map((row) => row.id)).toEqual([deliveryId]);
    expect(
      await listWebhookDeliveries(db(), { owner: 'bob', subjectId: promptId, limit: 10 }),
    ).toEqual([]);
  });

  it('closes a round whose last attempt was cut short instead of sending past it, and a retry opens a new one', async () => {
    const deliveryId = id('delivery');
    await insertWebhookDeliveries(db(), [
      {
        id: deliveryId,
        owner: null,
        eventType: 'prompt.failed',
        subjectKind: 'prompt',
        subjectId: id('prompt'),
        url: 'https://hooks.example.com/',
        payload: '{}',
      },
    ]);
    const sendAndFail = async (expected: number) => {
      const start = await beginWebhookAttempt(db(), deliveryId, 60_000, 3);
      expect(start.kind === 'send' && start.delivery.attempts).toBe(expected);
      await recordWebhookAttempt(db(), {
        deliveryId,
        attempt: expected,
        startedAt: new Date(),
        durationMs: 3,
        statusCode: 503,
        error: 'the receiver answered 503',
        status: expected % 3 === 0 ? 'failed' : 'pending',
      });
    };
    await sendAndFail(1);
    await sendAndFail(2);
    // Attempt 3, the round's last, begins and its worker is killed before it records anything.
    const cut = await beginWebhookAttempt(db(), deliveryId, 60_000, 3);
    expect(cut.kind === 'send' && cut.delivery.attempts).toBe(3);

    // The job runs again elsewhere: no fourth send, the round is closed.
    const again = await beginWebhookAttempt(db(), deliveryId, 60_000, 3);
    expect(again.kind).toBe('round-closed');
    const closed = await getWebhookDelivery(db(), deliveryId);
    expect(closed?.status).toBe('failed');
    expect(closed?.attempts).toBe(3);
    expect(closed?.endedAt).not.toBeNull();
    expect(closed?.attemptRows.map((row) => [row.attempt, row.statusCode, row.error])).toEqual([
      [1, 503, 'the receiver answered 503'],
      [2, 503, 'the receiver answered 503'],
      [3, null, cutAttemptError],
    ]);
    expect(await beginWebhookAttempt(db(), deliveryId, 60_000, 3)).toEqual({ kind: 'nothing' });

    // A retry is a new round of three: attempts 4-6, the sixth its last.
    expect((await reopenWebhookDelivery(db(), deliveryId))?.status).toBe('pending');
    await sendAndFail(4);
    await sendAndFail(5);
    await sendAndFail(6);
    expect((await getWebhookDelivery(db(), deliveryId))?.status).toBe('failed');
    expect(await beginWebhookAttempt(db(), deliveryId, 60_000, 3)).toEqual({ kind: 'nothing' });
  });

  it('hands out an overdue pending delivery once per grace period', async () => {
    const deliveryId = id('delivery');
    await insertWebhookDeliveries(db(), [
      {
        id: deliveryId,
        owner: null,
        eventType: 'batch.completed',
        subjectKind: 'batch',
        subjectId: id('batch'),
        url: 'https://hooks.example.com/',
        payload: '{}',
      },
    ]);
    expect(await takeOverdueWebhookDeliveries(db(), 60_000, 100)).not.toContain(deliveryId);
    await db()
      .update(webhookDeliveries)
      .set({ nextAttemptAt: new Date(Date.now() - 120_000) })
      .where(eq(webhookDeliveries.id, deliveryId));
    expect(await takeOverdueWebhookDeliveries(db(), 60_000, 100)).toContain(deliveryId);
    expect(await takeOverdueWebhookDeliveries(db(), 60_000, 100)).not.toContain(deliveryId);
  });
});

describe('the webhook outbox scan on PostgreSQL', () => {
  const database = useDatabase('postgres');

  it('walks the partial index of prompts with a webhook due', async () => {
    const db = database().db;
    const plan = await db.transaction(async (tx) => {
      // An empty table is scanned whole by any planner: only whether the index can serve the
      // scan's predicate is asked here.
      await tx.execute(sql`set local enable_seqscan = off`);
      return executeRows<{ 'QUERY PLAN': string }>(
        tx,
        sql`explain ${dueWebhookPromptsQuery(tx, 500)}`,
      );
    });
    const text = plan.map((row) => row['QUERY PLAN']).join('\n');
    expect(text).toContain('responses_webhook_due_idx');
  });
});
