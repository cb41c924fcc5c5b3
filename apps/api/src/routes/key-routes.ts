import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type ApiKeyBody,
  apiKeyListSchema,
  apiKeySchema,
  createApiKeySchema,
  createdApiKeySchema,
  problemCatalogue,
  problemSchema,
  resourceIdSchema,
  updateApiKeySchema,
} from '@llmq/contracts';
import { type ApiKeyRow, listApiKeys } from '@llmq/db/reads';
import { createApiKey, NotFoundError, revokeApiKey, updateApiKey } from '@llmq/engine';
import type { Context } from 'hono';
import { type Authenticator, hashKey, newApiKey } from '../auth/authenticator.ts';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { limitValuesOf } from './limit-values.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const adminOnly = {
  401: { description: 'No or a bad key', ...problem },
  403: { description: 'Not an admin key', ...problem },
};
const idParams = z.object({ id: resourceIdSchema });

const createRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/keys',
  summary: 'Create an owner key (admin keys only)',
  description:
    'Optional: an `owner` shared with other keys (they see each other’s work and share its limits; without one the key is its own owner), the models it may use (ids or aliases, stored as ids), an expiry (`expires_at` or `expires_in_days`), a webhook for its work’s events, and limits (a budget per day, week or month, requests and tokens per minute, prompts at once).',
  request: {
    body: { required: true, content: { 'application/json': { schema: createApiKeySchema } } },
  },
  responses: {
    201: {
      description: 'The key, shown once',
      content: { 'application/json': { schema: createdApiKeySchema } },
    },
    ...adminOnly,
    422: {
      description:
        'An unknown model, an expiry not in the future, a budget without its period, a webhook URL at a private address, or another invalid field',
      ...problem,
    },
  },
});

const listRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/keys',
  summary: 'The owner keys and their settings (admin keys only); never the keys themselves',
  responses: {
    200: { description: 'Keys', content: { 'application/json': { schema: apiKeyListSchema } } },
    ...adminOnly,
  },
});

const updateRouteDefinition = createRoute({
  method: 'patch',
  path: '/v1/keys/{id}',
  summary: 'Change an owner key’s name, models, expiry, webhook or limits (admin keys only)',
  description:
    'Fields left out stay as they are; null clears one (every model, no expiry, no webhook, no limit). The owner cannot change: make a new key for another owner.',
  request: {
    params: idParams,
    body: { required: true, content: { 'application/json': { schema: updateApiKeySchema } } },
  },
  responses: {
    200: {
      description: 'The key as changed',
      content: { 'application/json': { schema: apiKeySchema } },
    },
    ...adminOnly,
    404: { description: 'Unknown id', ...problem },
    422: {
      description:
        'An unknown model, an expiry not in the future, a budget without its period, a webhook URL at a private address',
      ...problem,
    },
  },
});

const revokeRouteDefinition = createRoute({
  method: 'delete',
  path: '/v1/keys/{id}',
  summary: 'Revoke an owner key (admin keys only)',
  request: { params: idParams },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: apiKeySchema } } },
    ...adminOnly,
    404: { description: 'Unknown id', ...problem },
  },
});

/** Keys are managed with an admin key, which a server has only with LLMQ_API_KEYS. */
export function requireAdmin(c: Context<ApiEnv>, authenticator: Authenticator, what: string): void {
  if (!authenticator.hasAdminKeys) {
    throw new ProblemError(
      problemCatalogue.forbidden,
      `${what} are managed with an admin key: set LLMQ_API_KEYS on the server and use one of them`,
    );
  }
  if (!c.get('caller').admin) {
    throw new ProblemError(
      problemCatalogue.forbidden,
      `Only an admin key (from LLMQ_API_KEYS) can manage ${what.toLowerCase()}`,
    );
  }
}

/** A key's row as the API shows it: everything but its hash. */
export function keyBody(row: ApiKeyRow): ApiKeyBody {
  return {
    id: row.id,
    name: row.name,
    owner: row.owner,
    created_at: row.createdAt.toISOString(),
    revoked_at: row.revokedAt ? row.revokedAt.toISOString() : null,
    expires_at: row.expiresAt ? row.expiresAt.toISOString() : null,
    allowed_models: row.allowedModels,
    webhook_url: row.webhookUrl,
    ...limitValuesOf(row),
  };
}

export function registerKeyRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDependencies,
  authenticator: Authenticator,
): void {
  const { services } = deps;
  app.openapi(createRouteDefinition, async (c) => {
    requireAdmin(c, authenticator, 'Keys');
    const key = newApiKey();
    const row = await createApiKey(services, { keyHash: hashKey(key), body: c.req.valid('json') });
    authenticator.invalidate();
    deps.logger.info({ keyId: row.id, owner: row.owner }, 'owner key created');
    return c.json({ ...keyBody(row), key }, 201);
  });
  app.openapi(listRouteDefinition, async (c) => {
    requireAdmin(c, authenticator, 'Keys');
    return c.json({ data: (await listApiKeys(services.db)).map(keyBody) }, 200);
  });
  app.openapi(updateRouteDefinition, async (c) => {
    requireAdmin(c, authenticator, 'Keys');
    const { id } = c.req.valid('param');
    const row = await updateApiKey(services, id, c.req.valid('json'));
    // An expiry moved earlier, or later again, is seen by stream tokens at once.
    authenticator.invalidate();
    deps.logger.info({ keyId: row.id }, 'owner key changed');
    return c.json(keyBody(row), 200);
  });
  app.openapi(revokeRouteDefinition, async (c) => {
    requireAdmin(c, authenticator, 'Keys');
    const { id } = c.req.valid('param');
    const row = await revokeApiKey(services, id);
    if (!row) throw new NotFoundError('key', id, 'GET /v1/keys lists the keys, revoked ones too');
    authenticator.invalidate();
    return c.json(keyBody(row), 200);
  });
}
