import { randomUUID } from 'node:crypto';
import type { Database } from '@llmq/db';
import { FleetTurns } from '@llmq/queue';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { runWebhookOutbox } from './webhook-outbox.ts';
import { WebhookQueue } from './webhook-queue.ts';
import type { WebhookSigner } from './webhook-signer.ts';
import type { WebhookUrlRules } from './webhook-url.ts';
import { startWebhookWorker } from './webhook-worker.ts';

export interface WebhooksOptions {
  readonly db: Database;
  /** A non-blocking connection: the queue's adds and the fleet's outbox turns. */
  readonly connection: Redis;
  /** A blocking connection of its own: the delivery worker waits for jobs on it. */
  readonly workerConnection: Redis;
  readonly prefix: string;
  readonly logger: Logger;
  readonly signer: WebhookSigner;
  readonly rules: WebhookUrlRules;
  /** LLMQ_WEBHOOK_SCAN_MS: at most one outbox pass per interval, fleet-wide. */
  readonly scanMs: number;
  readonly maxAttempts: number;
  readonly backoffMs: number;
  readonly timeoutMs: number;
  readonly lockDurationMs?: number | undefined;
  readonly stalledIntervalMs?: number | undefined;
  /** How late a pending delivery's next attempt must be before its job counts as lost. */
  readonly overdueMs?: number | undefined;
}

export interface Webhooks {
  readonly ready: Promise<void>;
  /** Stop looking and sending; a pass or send under way finishes first. */
  close(): Promise<void>;
}

/**
 * Webhooks in a worker process: the outbox (one pass per interval across the fleet, on the
 * fleet's turns) and the delivery worker.
 */
export function startWebhooks(options: WebhooksOptions): Webhooks {
  const { logger } = options;
  const queue = new WebhookQueue(options.connection, {
    prefix: options.prefix,
    maxAttempts: options.maxAttempts,
  });
  const worker = startWebhookWorker({
    db: options.db,
    connection: options.workerConnection,
    prefix: options.prefix,
    logger,
    signer: options.signer,
    rules: options.rules,
    timeoutMs: options.timeoutMs,
    maxAttempts: options.maxAttempts,
    backoffMs: options.backoffMs,
    lockDurationMs: options.lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs,
  });
  const turns = new FleetTurns(options.connection, {
    prefix: options.prefix,
    name: 'webhook-outbox',
    intervalMs: options.scanMs,
    holdMs: Math.max(options.scanMs * 3, 5_000),
  });
  const overdueMs = options.overdueMs ?? Math.max(options.timeoutMs * 3, 30_000);
  const token = `${process.pid}:${randomUUID()}`;
  let running: Promise<void> | undefined;
  let stopped = false;
  let failing = false;
  const look = async () => {
    try {
      await turns.runIfTurn(token, async () => {
        const report = await runWebhookOutbox({ db: options.db, queue, overdueMs });
        if (report.readded > 0) {
          logger.warn(report, 'webhook outbox: pending deliveries had lost their jobs');
        } else if (report.written > 0) {
          logger.debug(report, 'webhook outbox: deliveries written');
        }
      });
      if (failing) logger.info('webhook outbox passes run again');
      failing = false;
    } catch (error) {
      // Redis or PostgreSQL away: the next look tries again; said once per outage.
      if (!failing) logger.error({ err: error }, 'webhook outbox pass failed; it will try again');
      failing = true;
    }
  };
  const lookNow = () => {
    if (stopped || running) return;
    running = look().finally(() => {
      running = undefined;
    });
  };
  // A few looks per interval: the first after an interval has passed takes the turn.
  const timer = setInterval(lookNow, Math.max(options.scanMs / 4, 25));
  timer.unref();
  lookNow();
  return {
    ready: worker.waitUntilReady().then(() => undefined),
    async close() {
      stopped = true;
      clearInterval(timer);
      await running;
      await worker.close();
      await queue.close();
    },
  };
}
