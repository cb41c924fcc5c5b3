import { z } from 'zod';
import { resourceIdSchema } from './ids.ts';

/** A prompt's or batch's own webhook: where its end is posted (over its key's). */
export const webhookUrlSchema = z
  .url({ protocol: /^https?$/, error: 'must be an absolute http(s) URL' })
  .max(2048)
  .meta({
    description:
      'Where the end is posted, signed as Standard Webhooks specifies (`prompt.succeeded|failed`, `batch.completed|failed|cancelled`); over the key’s webhook. Only public addresses (as URL attachments), unless LLMQ_URL_ALLOWLIST names the host.',
    example: 'https://example.com/hooks/llmq',
  });

export const webhookEventTypeSchema = z.enum([
  'prompt.succeeded',
  'prompt.failed',
  'batch.completed',
  'batch.failed',
  'batch.cancelled',
]);

export const webhookDeliveryStatusSchema = z.enum(['pending', 'delivered', 'failed']);

export const webhookAttemptSchema = z
  .object({
    attempt: z.int(),
    started_at: z.string(),
    duration_ms: z.int(),
    status_code: z.int().nullable().meta({ description: 'The receiver’s answer; null: none.' }),
    error: z.string().nullable().meta({ description: 'Why the attempt failed; null: delivered.' }),
  })
  .meta({ id: 'WebhookAttempt' });

export const webhookDeliverySchema = z
  .object({
    id: z.string().meta({ description: 'The `webhook-id` header, the same on every attempt.' }),
    event_type: webhookEventTypeSchema,
    subject_kind: z.enum(['prompt', 'batch']),
    subject_id: z.string(),
    url: z.string(),
    status: webhookDeliveryStatusSchema,
    attempts: z.array(webhookAttemptSchema),
    next_attempt_at: z.string().nullable(),
    created_at: z.string(),
    ended_at: z.string().nullable(),
    payload: z.string().meta({ description: 'The body sent, exactly (the signature covers it).' }),
  })
  .meta({ id: 'WebhookDelivery' });
export type WebhookDeliveryBody = z.infer<typeof webhookDeliverySchema>;

export const webhookDeliveryPageSchema = z
  .object({ data: z.array(webhookDeliverySchema), next_cursor: z.string().nullable() })
  .meta({ id: 'WebhookDeliveryPage' });

export const listWebhookDeliveriesQuerySchema = z.strictObject({
  subject_id: resourceIdSchema
    .optional()
    .meta({ description: 'Only deliveries of this prompt or batch.' }),
  status: webhookDeliveryStatusSchema.optional(),
  cursor: resourceIdSchema
    .optional()
    .meta({ description: 'The next_cursor of the page before (newest first).' }),
  limit: z.coerce.number().int().min(1).max(500).optional(),
});

export const webhookDeliveryPathSchema = z.object({
  id: resourceIdSchema.meta({ param: { name: 'id', in: 'path' } }),
});

export const webhookSecretSchema = z
  .object({
    secret: z.string().meta({
      description:
        'The key deliveries are signed with (`whsec_…`), for a Standard Webhooks verifier.',
    }),
  })
  .meta({ id: 'WebhookSecret' });
