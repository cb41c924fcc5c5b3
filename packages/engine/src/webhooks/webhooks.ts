import type { Database } from '@llmq/db';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { startFleetPass } from '../fleet/fleet-pass.ts';
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
  const overdueMs = options.overdueMs ?? Math.max(options.timeoutMs * 3, 30_000);
  const outbox = startFleetPass({
    connection: options.connection,
    prefix: options.prefix,
    name: 'webhook-outbox',
    label: 'webhook outbox',
    logger,
    intervalMs: options.scanMs,
    // A few looks per interval: the first after an interval has passed takes the turn.
    lookEveryMs: Math.max(options.scanMs / 4, 25),
    holdMs: Math.max(options.scanMs * 3, 5_000),
    pass: async () => {
      const report = await runWebhookOutbox({ db: options.db, queue, overdueMs });
      if (report.readded > 0) {
        logger.warn(report, 'webhook outbox: pending deliveries had lost their jobs');
      } else if (report.written > 0) {
        logger.debug(report, 'webhook outbox: deliveries written');
      }
    },
  });
  return {
    ready: worker.waitUntilReady().then(() => undefined),
    async close() {
      await outbox.close();
      await worker.close();
      await queue.close();
    },
  };
}
