import {
  type Database,
  getWebhookDelivery,
  type OwnerScope,
  reopenWebhookDelivery,
  type WebhookDeliveryWithAttempts,
} from '@llmq/db';
import { ConflictError, NotFoundError } from '../failures/service-errors.ts';

/**
 * Deliver a failed delivery again, for another round of attempts with the same `webhook-id`
 * and body: it is made pending with its next attempt long overdue, so the fleet's next outbox
 * pass gives it a job (the api adds no job itself).
 */
export async function retryWebhookDelivery(
  db: Database,
  id: string,
  owner?: OwnerScope,
): Promise<WebhookDeliveryWithAttempts> {
  const reopened = await reopenWebhookDelivery(db, id, owner);
  const delivery = await getWebhookDelivery(db, id, owner);
  if (!delivery) {
    throw new NotFoundError('webhook delivery', id, 'see GET /v1/webhook-deliveries');
  }
  if (!reopened) {
    throw new ConflictError(
      `Webhook delivery ${id} is ${delivery.status}: only a failed delivery can be retried`,
    );
  }
  return delivery;
}
