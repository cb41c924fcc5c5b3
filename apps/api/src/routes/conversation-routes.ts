import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import {
  conversationPageSchema,
  conversationSchema,
  listConversationsQuerySchema,
  problemSchema,
  resourceIdSchema,
} from '@llmq/contracts';
import { getConversation, listConversations } from '@llmq/db/reads';
import { NotFoundError } from '@llmq/engine';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { conversationBody, conversationSummaryBody } from './serializers.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const listRoute = createRoute({
  method: 'get',
  path: '/v1/conversations',
  summary: 'Conversations newest first, cursor pages',
  request: { query: listConversationsQuerySchema },
  responses: {
    200: {
      description: 'A page',
      content: { 'application/json': { schema: conversationPageSchema } },
    },
    422: { description: 'Invalid query', ...problem },
  },
});

const getRoute = createRoute({
  method: 'get',
  path: '/v1/conversations/{id}',
  summary: 'A conversation with its turns in order, each with its attachments',
  request: { params: z.object({ id: resourceIdSchema }) },
  responses: {
    200: {
      description: 'The conversation',
      content: { 'application/json': { schema: conversationSchema } },
    },
    404: { description: 'Unknown id', ...problem },
  },
});

export function registerConversationRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { db } = deps.services;
  app.openapi(listRoute, async (c) => {
    const query = c.req.valid('query');
    const page = await listConversations(db, {
      owner: c.get('caller').owner,
      cursor: query.cursor,
      limit: query.limit,
    });
    return c.json(
      { data: page.items.map(conversationSummaryBody), next_cursor: page.nextCursor },
      200,
    );
  });
  app.openapi(getRoute, async (c) => {
    const { id } = c.req.valid('param');
    const conversation = await getConversation(db, id, c.get('caller').owner);
    if (!conversation) throw new NotFoundError('conversation', id);
    return c.json(conversationBody(conversation), 200);
  });
}
