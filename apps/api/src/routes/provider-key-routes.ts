import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  type ProviderKeyBody,
  problemCatalogue,
  problemSchema,
  providerKeyListSchema,
  providerKeyPathSchema,
  providerKeySchema,
  setProviderKeySchema,
} from '@llmq/contracts';
import type { ProviderKeyRow } from '@llmq/db/reads';
import { NotFoundError } from '@llmq/engine';
import type { Context } from 'hono';
import { ProblemError } from '../problems/problems.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };
const adminOnly = {
  401: { description: 'No or a bad key', ...problem },
  403: { description: 'Not an admin key', ...problem },
};

const setRoute = createRoute({
  method: 'put',
  path: '/v1/provider-keys/{name}',
  summary: 'Store a provider key, like `llm keys set` (admin keys only)',
  description:
    'Encrypted with the server’s secret (LLMQ_SECRET_KEY) and used by the api and every worker from their next prompt, without a restart. A key in the server’s environment (e.g. OPENAI_API_KEY) still comes first. The key must have at least 8 characters, all printable ASCII without spaces (it is sent in an HTTP header); `last_four` is returned only for a key of at least 12 characters (null otherwise).',
  request: {
    params: providerKeyPathSchema,
    body: { required: true, content: { 'application/json': { schema: setProviderKeySchema } } },
  },
  responses: {
    200: {
      description: 'Stored (the key itself is never returned)',
      content: { 'application/json': { schema: providerKeySchema } },
    },
    ...adminOnly,
    409: { description: 'The server has no secret to encrypt keys with', ...problem },
    422: {
      description:
        'No model needs a key of this name, or the key is shorter than 8 characters or holds a character an HTTP header cannot carry',
      ...problem,
    },
  },
});

const listRoute = createRoute({
  method: 'get',
  path: '/v1/provider-keys',
  summary: 'The stored provider keys: names, last four characters, who and when (admin keys only)',
  responses: {
    200: {
      description: 'Stored keys',
      content: { 'application/json': { schema: providerKeyListSchema } },
    },
    ...adminOnly,
  },
});

const deleteRoute = createRoute({
  method: 'delete',
  path: '/v1/provider-keys/{name}',
  summary: 'Remove a stored provider key (admin keys only)',
  request: { params: providerKeyPathSchema },
  responses: {
    200: {
      description: 'Removed',
      content: {
        'application/json': { schema: z.object({ name: z.string(), deleted: z.literal(true) }) },
      },
    },
    ...adminOnly,
    404: { description: 'No key of this name is stored', ...problem },
  },
});

/** Provider keys are the server's: admins only once keys exist (anyone on a laptop without). */
function requireAdmin(c: Context<ApiEnv>): void {
  if (c.get('caller').admin) return;
  throw new ProblemError(
    problemCatalogue.forbidden,
    'Provider keys are managed with an admin key (from LLMQ_API_KEYS on the server)',
  );
}

function providerKeyBody(row: ProviderKeyRow, deps: ApiDependencies): ProviderKeyBody {
  return {
    name: row.name,
    // Stored empty for a key too short to show a part of.
    last_four: row.lastFour || null,
    set_by: row.setBy,
    set_at: row.setAt.toISOString(),
    models: deps.services.models
      .models()
      .filter((model) => model.needsKey === row.name)
      .map((model) => model.modelId),
  };
}

export function registerProviderKeyRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { providerKeys } = deps.services;
  app.openapi(setRoute, async (c) => {
    requireAdmin(c);
    const { name } = c.req.valid('param');
    const row = await providerKeys.set(
      name,
      c.req.valid('json').key,
      c.get('caller').owner ?? null,
    );
    deps.logger.info({ name, setBy: row.setBy }, 'provider key stored');
    return c.json(providerKeyBody(row, deps), 200);
  });
  app.openapi(listRoute, async (c) => {
    requireAdmin(c);
    const rows = await providerKeys.list();
    return c.json({ data: rows.map((row) => providerKeyBody(row, deps)) }, 200);
  });
  app.openapi(deleteRoute, async (c) => {
    requireAdmin(c);
    const { name } = c.req.valid('param');
    const row = await providerKeys.delete(name);
    if (!row) {
      throw new NotFoundError('provider key', name, 'GET /v1/provider-keys lists the stored keys');
    }
    deps.logger.info({ name }, 'provider key deleted');
    return c.json({ name, deleted: true as const }, 200);
  });
}
