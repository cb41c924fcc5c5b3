import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

export const webhookQueueName = 'webhooks';

export interface WebhookJob {
  readonly deliveryId: string;
}

export interface WebhookQueueOptions {
  readonly prefix: string;
  /** Attempts per round (LLMQ_WEBHOOK_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
}

/**
 * One job per delivery, its id the delivery's: adding one that waits, runs or waits out its
 * backoff does nothing, so the outbox may add a delivery again whenever it is unsure.
 */
export class WebhookQueue {
  readonly queue: Queue<WebhookJob>;
  readonly #maxAttempts: number;

  constructor(connection: Redis, options: WebhookQueueOptions) {
    this.#maxAttempts = options.maxAttempts;
    this.queue = new Queue<WebhookJob>(webhookQueueName, { connection, prefix: options.prefix });
    this.queue.on('error', () => undefined);
  }

  async add(deliveryIds: readonly string[]): Promise<void> {
    if (deliveryIds.length === 0) return;
    await this.queue.addBulk(
      deliveryIds.map((deliveryId) => ({
        name: 'deliver',
        data: { deliveryId },
        opts: {
          jobId: deliveryId,
          // The delivery row counts attempts and decides the last; BullMQ's count only times the
          // backoff (see webhook-worker.ts); twice the limit, so the row's count ends a round.
          attempts: this.#maxAttempts * 2,
          backoff: { type: 'webhook' },
          removeOnComplete: true,
          removeOnFail: true,
        },
      })),
    );
  }

  async close(): Promise<void> {
    await this.queue.close();
  }
}
