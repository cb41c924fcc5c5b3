import { eq, sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createQueuedPrompt } from './create-queued-prompt.ts';
import { drivers, useDatabase } from './database.fixture.ts';
import { executeRows } from './execute-rows.ts';
import { responses, webhookDeliveries } from './schema.ts';
import {
  beginWebhookAttempt,
  getWebhookDelivery,
  listWebhookDeliveries,
  recordWebhookAttempt,
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
    const first = await beginWebhookAttempt(db(), deliveryId, 60_000);
    expect(first?.attempts).toBe(1);
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
    const second = await beginWebhookAttempt(db(), deliveryId, 60_000);
    await recordWebhookAttempt(db(), {
      deliveryId,
      attempt: second?.attempts as number,
      startedAt: new Date(),
      durationMs: 7,
      statusCode: 204,
      error: null,
      status: 'delivered',
    });
    // Delivered: a repeated job finds nothing to send.
    expect(await beginWebhookAttempt(db(), deliveryId, 60_000)).toBeUndefined();

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
