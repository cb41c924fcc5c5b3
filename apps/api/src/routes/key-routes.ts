import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { problemCatalogue, problemSchema, resourceIdSchema, withoutNul } from '@llmq/contracts';
import { listApiKeys } from '@llmq/db/reads';
import { createApiKey, NotFoundError, revokeApiKey } from '@llmq/engine';
import type { Context } from 'hono';
import { type Authenticator, hashKey, newApiKey } from '../auth/authenticator.ts';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const keySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    owner: z.string(),
    created_at: z.iso.datetime(),
    revoked_at: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiKey' });

const createdKeySchema = keySchema
  .extend({
    key: z.string().meta({ description: 'The key itself: shown this once, never again.' }),
  })
  .meta({ id: 'CreatedApiKey' });

const createRouteDefinition = createRoute({
  method: 'post',
  path: '/v1/keys',
  summary: 'Create an owner key (admin keys only)',
  request: {
    body: {
      required: true,
      content: {
        'application/json': {
          schema: withoutNul(z.strictObject({ name: z.string().min(1).max(200) })),
        },
      },
    },
  },
  responses: {
    201: {
      description: 'The key, shown once',
      content: { 'application/json': { schema: createdKeySchema } },
    },
    401: { description: 'No or a bad key', ...problem },
    403: { description: 'Not an admin key', ...problem },
  },
});

const listRouteDefinition = createRoute({
  method: 'get',
  path: '/v1/keys',
  summary: 'The owner keys (admin keys only); never the keys themselves',
  responses: {
    200: {
      description: 'Keys',
      content: { 'application/json': { schema: z.object({ data: z.array(keySchema) }) } },
    },
    403: { description: 'Not an admin key', ...problem },
  },
});

const revokeRouteDefinition = createRoute({
  method: 'delete',
  path: '/v1/keys/{id}',
  summary: 'Revoke an owner key (admin keys only)',
  request: { params: z.object({ id: resourceIdSchema }) },
  responses: {
    200: { description: 'Revoked', content: { 'application/json': { schema: keySchema } } },
    403: { description: 'Not an admin key', ...problem },
    404: { description: 'Unknown id', ...problem },
  },
});

function requireAdmin(c: Context<ApiEnv>, authenticator: Authenticator): void {
  if (!authenticator.hasAdminKeys) {
    throw new ProblemError(
      problemCatalogue.forbidden,
      'Keys are managed with an admin key: set LLMQ_API_KEYS on the server and use one of them',
    );
  }
  if (!c.get('caller').admin) {
    throw new ProblemError(
      problemCatalogue.forbidden,
      'Only an admin key (from LLMQ_API_KEYS) can manage keys',
    );
  }
}

const keyBody = (row: {
  id: string;
  name: string;
  owner: string;
  createdAt: Date;
  revokedAt: Date | null;
}) => ({
  id: row.id,
  name: row.name,
  owner: row.owner,
  created_at: row.createdAt.toISOString(),
  revoked_at: row.revokedAt ? row.revokedAt.toISOString() : null,
});

export function registerKeyRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDependencies,
  authenticator: Authenticator,
): void {
  const { services } = deps;
  app.openapi(createRouteDefinition, async (c) => {
    requireAdmin(c, authenticator);
    const key = newApiKey();
    const row = await createApiKey(services, {
      name: c.req.valid('json').name,
      keyHash: hashKey(key),
    });
    authenticator.invalidate();
    return c.json({ ...keyBody(row), key }, 201);
  });
  app.openapi(listRouteDefinition, async (c) => {
    requireAdmin(c, authenticator);
    return c.json({ data: (await listApiKeys(services.db)).map(keyBody) }, 200);
  });
  app.openapi(revokeRouteDefinition, async (c) => {
    requireAdmin(c, authenticator);
    const { id } = c.req.valid('param');
    const row = await revokeApiKey(services, id);
    if (!row) throw new NotFoundError('key', id, 'GET /v1/keys lists the keys, revoked ones too');
    authenticator.invalidate();
    return c.json(keyBody(row), 200);
  });
}
