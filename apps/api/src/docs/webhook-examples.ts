import { promptId, time } from './example-values.ts';
import type { RouteExample } from './route-example.ts';

const webhookDelivery = {
  id: '01JEXAMP1EWEBH00KDE11VERYD',
  event_type: 'prompt.succeeded',
  subject_kind: 'prompt',
  subject_id: promptId,
  url: 'https://example.com/hooks/llmq',
  status: 'delivered',
  attempts: [
    {
      attempt: 1,
      started_at: time,
      duration_ms: 212,
      status_code: 503,
      error: 'the receiver answered 503: upstream busy',
    },
    { attempt: 2, started_at: time, duration_ms: 48, status_code: 204, error: null },
  ],
  next_attempt_at: null,
  created_at: time,
  ended_at: time,
  payload: JSON.stringify({
    type: 'prompt.succeeded',
    timestamp: time,
    data: { id: promptId, object: 'prompt', status: 'succeeded', model: 'gpt-4o-mini' },
  }),
};

/** Webhook deliveries and the signing secret. */
export const webhookExamples: Readonly<Record<string, RouteExample>> = {
  'get /v1/webhook-deliveries': { response: { data: [webhookDelivery], next_cursor: null } },
  'get /v1/webhook-deliveries/{id}': { response: webhookDelivery },
  'post /v1/webhook-deliveries/{id}/retry': {
    response: { ...webhookDelivery, status: 'pending', next_attempt_at: time, ended_at: null },
  },
  'get /v1/webhooks/secret': { response: { secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } },
};
