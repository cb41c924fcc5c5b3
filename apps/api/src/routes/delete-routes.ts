import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { attachmentPathSchema, problemSchema, resourceIdSchema } from '@llmq/contracts';
import {
  deleteBatch,
  deleteConversation,
  deleteStoredPrompt,
  releaseOwnedAttachment,
} from '@llmq/engine';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const deletedSchema = z
  .object({
    id: z.string(),
    deleted: z.literal(true),
    prompts: z
      .int()
      .optional()
      .meta({ description: 'How many prompts went with it: turns, or batch items.' }),
  })
  .meta({ id: 'Deleted' });

const deleted = (description: string) => ({
  200: { description, content: { 'application/json': { schema: deletedSchema } } },
  404: { description: 'Unknown id (or another owner’s)', ...problem },
  409: { description: 'Not deletable yet: the problem says what to do first', ...problem },
});

const deletePromptRoute = createRoute({
  method: 'delete',
  path: '/v1/prompts/{id}',
  summary: 'Delete an ended prompt, with its chain’s steps and its event log',
  description:
    'A prompt that has not ended is refused (cancel it first); so are a batch’s items (delete the batch) and a turn that later turns of its conversation replay (delete the conversation). Its attachments’ bytes go once nothing else refers to them.',
  request: { params: z.object({ id: resourceIdSchema }) },
  responses: deleted('Deleted'),
});

const deleteConversationRoute = createRoute({
  method: 'delete',
  path: '/v1/conversations/{id}',
  summary: 'Delete a conversation and all its turns',
  description: 'Refused while a turn has not ended: cancel it or wait for it.',
  request: { params: z.object({ id: resourceIdSchema }) },
  responses: deleted('Deleted, with every turn'),
});

const deleteBatchRoute = createRoute({
  method: 'delete',
  path: '/v1/batches/{id}',
  summary: 'Delete an ended batch with its items',
  description:
    'Only a completed, failed or cancelled batch: cancel a running one first. The batch and all its items go in one transaction.',
  request: { params: z.object({ id: resourceIdSchema }) },
  responses: deleted('Deleted, with every item'),
});

const deleteAttachmentRoute = createRoute({
  method: 'delete',
  path: '/v1/attachments/{id}',
  summary: 'Stop holding an attachment',
  description:
    'The caller no longer sees the attachment nor can use it by id; its bytes go once nobody holds or uses them. Refused while one of the caller’s stored prompts uses it.',
  request: { params: attachmentPathSchema },
  responses: deleted('No longer held by the caller'),
});

/** `DELETE` of prompts, conversations, batches and attachments (see engine/src/retention). */
export function registerDeleteRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { services } = deps;
  app.openapi(deletePromptRoute, async (c) => {
    const { id } = c.req.valid('param');
    await deleteStoredPrompt(services, id, c.get('caller').owner);
    return c.json({ id, deleted: true as const }, 200);
  });
  app.openapi(deleteConversationRoute, async (c) => {
    const { id } = c.req.valid('param');
    const promptIds = await deleteConversation(services, id, c.get('caller').owner);
    return c.json({ id, deleted: true as const, prompts: promptIds.length }, 200);
  });
  app.openapi(deleteBatchRoute, async (c) => {
    const { id } = c.req.valid('param');
    const items = await deleteBatch(services, id, c.get('caller').owner);
    return c.json({ id, deleted: true as const, prompts: items }, 200);
  });
  app.openapi(deleteAttachmentRoute, async (c) => {
    const { id } = c.req.valid('param');
    await releaseOwnedAttachment(services, id, c.get('caller').owner);
    return c.json({ id, deleted: true as const }, 200);
  });
}
