import { type FailureTraits, LlmqError } from '@llmq/core';
import { beginWebhookAttempt, type Database, recordWebhookAttempt } from '@llmq/db';
import { retryDelay } from '@llmq/queue';
import { type Job, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { type SendWebhookOptions, sendWebhook } from './send-webhook.ts';
import { type WebhookJob, webhookQueueName } from './webhook-queue.ts';

/** A receiver that did not take a delivery this time: BullMQ tries again after its backoff. */
export class WebhookAttemptError extends LlmqError {
  static override readonly failure: FailureTraits = {
    code: 'webhook-attempt-failed',
    blame: 'service',
    retryable: true,
    edge: 'never',
  };
  override readonly name = 'WebhookAttemptError';
}

export interface WebhookWorkerOptions extends SendWebhookOptions {
  readonly db: Database;
  readonly connection: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  /** Attempts per round before a delivery fails (LLMQ_WEBHOOK_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** The wait before the second attempt, doubled for each next (LLMQ_WEBHOOK_BACKOFF_MS). */
  readonly backoffMs: number;
  readonly concurrency?: number | undefined;
  /** A dead worker's delivery runs again elsewhere after this (its lock lapses). */
  readonly lockDurationMs?: number | undefined;
  readonly stalledIntervalMs?: number | undefined;
}

/**
 * The fleet's webhook sender, in every process that runs prompt jobs. The delivery row decides:
 * its attempt count goes up before each send and says which attempt is a round's last, so an
 * attempt cut short by a killed worker still counts, and a job BullMQ runs again after a stall
 * sends the same message (same `webhook-id`) once more: at least once. A stall during a round's
 * last attempt ends the round failed (no attempt past it), so a round sends at most
 * `maxAttempts` times.
 */
export function startWebhookWorker(options: WebhookWorkerOptions): Worker<WebhookJob> {
  const worker = new Worker<WebhookJob>(
    webhookQueueName,
    (job: Job<WebhookJob>) => deliver(options, job),
    {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 20,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A worker killed mid-send hands the delivery on; the row's count bounds the attempts.
      maxStalledCount: 10,
      settings: {
        backoffStrategy: (attemptsMade) => retryDelay(attemptsMade, options.backoffMs, undefined),
      },
    },
  );
  worker.on('error', (error) => options.logger.error({ err: error }, 'webhook worker error'));
  return worker;
}

async function deliver(options: WebhookWorkerOptions, job: Job<WebhookJob>): Promise<void> {
  const { deliveryId } = job.data;
  const start = await beginWebhookAttempt(
    options.db,
    deliveryId,
    options.timeoutMs + 30_000,
    options.maxAttempts,
  );
  // Delivered, failed or gone already: a repeated job has nothing to send.
  if (start.kind === 'nothing') return;
  if (start.kind === 'round-closed') {
    options.logger.warn(
      { deliveryId, event: start.delivery.eventType, attempt: start.delivery.attempts },
      "webhook failed: the round's last attempt was cut short by a stopped worker",
    );
    return;
  }
  const { delivery } = start;
  const attempt = delivery.attempts;
  const startedAt = new Date();
  const began = performance.now();
  const answer = await sendWebhook(
    { id: delivery.id, url: delivery.url, payload: delivery.payload },
    options,
  );
  const durationMs = Math.round(performance.now() - began);
  // Rounds end at multiples of the limit; beginWebhookAttempt never starts one past its end.
  const last = attempt % options.maxAttempts === 0;
  const status = answer.delivered ? 'delivered' : last ? 'failed' : 'pending';
  // The longest this retry's backoff can be (jitter is at most +50%): the outbox's look for
  // lost deliveries waits at least that long.
  const longestBackoff = 1.5 * options.backoffMs * 2 ** Math.max(job.attemptsMade, 0);
  await recordWebhookAttempt(options.db, {
    deliveryId,
    attempt,
    startedAt,
    durationMs,
    statusCode: answer.statusCode,
    error: answer.error,
    status,
    nextAttemptAt: new Date(Date.now() + longestBackoff),
  });
  const line = {
    deliveryId,
    event: delivery.eventType,
    subjectId: delivery.subjectId,
    attempt,
    statusCode: answer.statusCode,
    durationMs,
  };
  if (status === 'delivered') {
    options.logger.info(line, 'webhook delivered');
    return;
  }
  if (status === 'failed') {
    options.logger.warn({ ...line, error: answer.error }, 'webhook failed: every attempt refused');
    return;
  }
  options.logger.info(
    { ...line, error: answer.error },
    'webhook attempt failed; it will be retried',
  );
  throw new WebhookAttemptError(answer.error ?? 'the receiver did not take the delivery');
}
