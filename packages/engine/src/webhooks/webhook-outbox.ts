import { isEndedBatchStatus } from '@llmq/contracts';
import { newId } from '@llmq/core';
import {
  batchCounts,
  claimEndedWebhookPrompts,
  claimWebhookBatch,
  type Database,
  endedWebhookBatchCandidates,
  insertWebhookDeliveries,
  type NewWebhookDelivery,
  releaseWebhookBatch,
  setBatchStatus,
  takeOverdueWebhookDeliveries,
} from '@llmq/db';
import { deriveStatus } from '../batches/batch-state.ts';
import { batchEvent, promptEvent, type WebhookEvent } from './webhook-events.ts';
import type { WebhookQueue } from './webhook-queue.ts';

export interface WebhookOutboxOptions {
  readonly db: Database;
  readonly queue: WebhookQueue;
  /** A pending delivery whose next attempt is this late lost its job: it is added again. */
  readonly overdueMs: number;
  /** Prompts and batches (each) claimed per pass; the next pass takes the rest. */
  readonly batchSize?: number | undefined;
}

export interface WebhookOutboxReport {
  /** Deliveries written (one per ended prompt or batch with a webhook). */
  readonly written: number;
  /** Pending deliveries whose job was added again (lost after a crash, or never added). */
  readonly readded: number;
}

/**
 * One pass of the outbox: prompts and batches that ended with a webhook still due get their
 * delivery rows and their `webhook_queued_at`, in one transaction, then one job each. A crash
 * between the commit and the add leaves pending deliveries without jobs; a later pass finds them
 * overdue and adds them again (an add of a job that exists does nothing).
 *
 * Prompts: only a prompt the client made reports (`prompt.succeeded|failed`): a chain's later
 * steps carry no webhook (its first step ends with the chain), batch items neither (their batch
 * reports `batch.*` once every item has ended), and a cancelled prompt reports nothing.
 */
export async function runWebhookOutbox(
  options: WebhookOutboxOptions,
): Promise<WebhookOutboxReport> {
  const { db } = options;
  const limit = options.batchSize ?? 500;
  const written = await db.transaction(async (tx) => {
    const deliveries: NewWebhookDelivery[] = [];
    const add = (
      kind: 'prompt' | 'batch',
      subject: { id: string; owner: string | null; webhookUrl: string | null },
      event: WebhookEvent,
    ) => {
      deliveries.push({
        id: newId(),
        owner: subject.owner,
        eventType: event.type,
        subjectKind: kind,
        subjectId: subject.id,
        url: subject.webhookUrl as string,
        payload: JSON.stringify(event),
      });
    };
    for (const row of await claimEndedWebhookPrompts(tx, limit)) {
      const event = promptEvent(row);
      if (event) add('prompt', row, event);
    }
    for (const candidate of await endedWebhookBatchCandidates(tx, limit)) {
      // Claimed first, then counted: the claim locks the batch's row, which a retry locks
      // before requeueing items, so the counts cannot be from before a retry that committed.
      const batch = await claimWebhookBatch(tx, candidate.id);
      if (!batch) continue;
      const counts = await batchCounts(tx as unknown as Database, batch.id);
      const status = deriveStatus(batch.status, counts);
      if (!isEndedBatchStatus(status)) {
        await releaseWebhookBatch(tx, batch.id);
        continue;
      }
      // Written back as a read of the batch would: a listing says what the webhook said.
      const stored =
        status === batch.status
          ? batch
          : ((await setBatchStatus(tx as unknown as Database, batch.id, [batch.status], {
              status,
              startedAt: true,
              completedAt: status === 'completed' || status === 'cancelled',
            })) ?? batch);
      add('batch', batch, batchEvent(stored, status, counts));
    }
    await insertWebhookDeliveries(tx, deliveries);
    return deliveries.map((delivery) => delivery.id);
  });
  await options.queue.add(written);
  const overdue = await takeOverdueWebhookDeliveries(db, options.overdueMs, limit);
  await options.queue.add(overdue);
  return { written: written.length, readded: overdue.length };
}
