import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  listWebhookDeliveriesQuerySchema,
  problemCatalogue,
  problemSchema,
  type WebhookDeliveryBody,
  webhookDeliveryPageSchema,
  webhookDeliveryPathSchema,
  webhookDeliverySchema,
  webhookSecretSchema,
} from '@llmq/contracts';
import {
  getWebhookDelivery,
  listWebhookDeliveries,
  type WebhookDeliveryWithAttempts,
} from '@llmq/db/reads';
import { NotFoundError, retryWebhookDelivery } from '@llmq/engine';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const iso = (date: Date | null) => (date ? date.toISOString() : null);

const listRoute = createRoute({
  method: 'get',
  path: '/v1/webhook-deliveries',
  summary: 'Webhook deliveries, newest first, each with its attempts',
  description:
    'One delivery per ended prompt or batch that had a webhook (its own or its key’s): pending until a receiver answered 2xx (`delivered`) or every attempt failed (`failed`). An owner key sees its owner’s; an admin key sees all.',
  request: { query: listWebhookDeliveriesQuerySchema },
  responses: {
    200: {
      description: 'A page',
      content: { 'application/json': { schema: webhookDeliveryPageSchema } },
    },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/webhook-deliveries/{id}',
  summary: 'One webhook delivery with its attempts',
  request: { params: webhookDeliveryPathSchema },
  responses: {
    200: {
      description: 'The delivery',
      content: { 'application/json': { schema: webhookDeliverySchema } },
    },
    404: { description: 'Unknown id', ...problem },
  },
});

const retryRoute = createRoute({
  method: 'post',
  path: '/v1/webhook-deliveries/{id}/retry',
  summary: 'Deliver a failed webhook again',
  description:
    'Another round of attempts (LLMQ_WEBHOOK_MAX_ATTEMPTS) with the same `webhook-id` and body, freshly signed; the fleet’s next outbox pass (within LLMQ_WEBHOOK_SCAN_MS) sends it.',
  request: { params: webhookDeliveryPathSchema },
  responses: {
    202: {
      description: 'Pending again',
      content: { 'application/json': { schema: webhookDeliverySchema } },
    },
    404: { description: 'Unknown id', ...problem },
    409: { description: 'The delivery is not failed (pending, or delivered)', ...problem },
  },
});

const secretRoute = createRoute({
  method: 'get',
  path: '/v1/webhooks/secret',
  summary: 'The key webhooks are signed with (admin keys only)',
  description:
    'Give it to receivers: any Standard Webhooks library verifies `webhook-signature` with it. It is LLMQ_WEBHOOK_SECRET when set.',
  responses: {
    200: {
      description: 'The secret',
      content: { 'application/json': { schema: webhookSecretSchema } },
    },
    401: { description: 'No or a bad key', ...problem },
    403: { description: 'Not an admin key', ...problem },
  },
});

function deliveryBody(row: WebhookDeliveryWithAttempts): WebhookDeliveryBody {
  return {
    id: row.id,
    event_type: row.eventType,
    subject_kind: row.subjectKind === 'batch' ? 'batch' : 'prompt',
    subject_id: row.subjectId,
    url: row.url,
    status: row.status,
    attempts: row.attemptRows.map((attempt) => ({
      attempt: attempt.attempt,
      started_at: attempt.startedAt.toISOString(),
      duration_ms: attempt.durationMs,
      status_code: attempt.statusCode,
      error: attempt.error,
    })),
    next_attempt_at: row.status === 'pending' ? iso(row.nextAttemptAt) : null,
    created_at: row.createdAt.toISOString(),
    ended_at: iso(row.endedAt),
    payload: row.payload,
  };
}

/** Admins see every owner's deliveries; an owner key its owner's. */
const scopeOf = (caller: { readonly admin: boolean; readonly owner: string | undefined }) =>
  caller.admin ? undefined : caller.owner;

export function registerWebhookRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { db, webhookSigner } = deps.services;

  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const limit = query.limit ?? 50;
    const rows = await listWebhookDeliveries(db, {
      owner: scopeOf(c.get('caller')),
      subjectId: query.subject_id,
      status: query.status,
      before: query.cursor,
      limit: limit + 1,
    });
    const page = rows.slice(0, limit);
    return c.json(
      {
        data: page.map(deliveryBody),
        next_cursor: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
      },
      200,
    );
  });

  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await getWebhookDelivery(db, id, scopeOf(c.get('caller')));
    if (!row) throw new NotFoundError('webhook delivery', id, 'see GET /v1/webhook-deliveries');
    return c.json(deliveryBody(row), 200);
  });

  app.openapi(retryRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await retryWebhookDelivery(db, id, scopeOf(c.get('caller')));
    return c.json(deliveryBody(row), 202);
  });

  // Every process that opened its services has a signer; a harness without one serves no secret.
  if (!webhookSigner) return;
  app.openapi(secretRoute, async (c) => {
    if (!c.get('caller').admin) {
      throw new ProblemError(
        problemCatalogue.forbidden,
        'The webhook secret is read with an admin key (from LLMQ_API_KEYS on the server)',
      );
    }
    return c.json({ secret: webhookSigner.secret }, 200);
  });
}
