import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import {
  listStoredSchemasQuerySchema,
  problemSchema,
  storedSchemaPageSchema,
  storedSchemaPathSchema,
  storedSchemaSchema,
} from '@llmq/contracts';
import { getVisibleSchema, listSchemas } from '@llmq/db/reads';
import { NotFoundError } from '@llmq/engine';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { storedSchemaBody } from './serializers.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const listRoute = createRoute({
  method: 'get',
  path: '/v1/schemas',
  summary: 'The schemas your prompts and batches use, newest stored first, cursor pages',
  description:
    'A schema is stored once by content: its id is the sha256 of its compact JSON, keys in their order (the order is part of the schema: models answer in it). Give the id as `schema` on a prompt or batch to use it again.',
  request: { query: listStoredSchemasQuerySchema },
  responses: {
    200: {
      description: 'A page',
      content: { 'application/json': { schema: storedSchemaPageSchema } },
    },
    422: { description: 'Invalid query', ...problem },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/schemas/{id}',
  summary: 'A stored schema',
  request: { params: storedSchemaPathSchema },
  responses: {
    200: {
      description: 'The schema',
      content: { 'application/json': { schema: storedSchemaSchema } },
    },
    404: { description: 'No prompt or batch of yours uses it', ...problem },
  },
});

export function registerSchemaRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { db } = deps.services;
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await listSchemas(db, {
      owner: c.get('caller').owner,
      cursor: query.cursor,
      limit: query.limit,
    });
    return c.json({ data: page.items.map(storedSchemaBody), next_cursor: page.nextCursor }, 200);
  });
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const row = await getVisibleSchema(db, id, c.get('caller').owner);
    if (!row) throw new NotFoundError('schema', id, 'GET /v1/schemas lists the schemas you use');
    return c.json(storedSchemaBody(row), 200);
  });
}
