import { createRoute, type OpenAPIHono, z } from '@hono/zod-openapi';
import { problemSchema, resourceIdSchema } from '@llmq/contracts';
import { getPrompt } from '@llmq/db/reads';
import { getBatchState, NotFoundError } from '@llmq/engine';
import { createStreamToken, type StreamKind } from '../auth/stream-token.ts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const tokenSchema = z
  .object({
    token: z.string(),
    expires_at: z.iso.datetime(),
    stream_url: z.string().meta({ description: 'The stream, with the token, for an EventSource.' }),
  })
  .meta({ id: 'StreamToken' });

function tokenRoute(kind: StreamKind) {
  const collection = kind === 'prompt' ? 'prompts' : 'batches';
  return createRoute({
    method: 'post',
    path: `/v1/${collection}/{id}/token`,
    summary: `A short-lived token to read this ${kind}'s stream with ?token= (for EventSource, which cannot send headers)`,
    request: { params: z.object({ id: resourceIdSchema }) },
    responses: {
      200: { description: 'The token', content: { 'application/json': { schema: tokenSchema } } },
      404: { description: 'Unknown id', ...problem },
    },
  });
}

export function registerTokenRoutes(
  app: OpenAPIHono<ApiEnv>,
  deps: ApiDependencies,
  tokenSecret: Buffer,
  ttlSeconds: number,
): void {
  for (const kind of ['prompt', 'batch'] as const) {
    app.openapi(tokenRoute(kind), async (c) => {
      const { id } = c.req.valid('param');
      const { owner, credential } = c.get('caller');
      if (kind === 'prompt') {
        if (!(await getPrompt(deps.services.db, id, owner))) throw new NotFoundError('prompt', id);
      } else {
        await getBatchState(deps.services, id, owner);
      }
      const expires = Math.floor(Date.now() / 1000) + ttlSeconds;
      const token = createStreamToken(tokenSecret, {
        kind,
        id,
        owner: owner ?? '',
        expires,
        credential,
      });
      const collection = kind === 'prompt' ? 'prompts' : 'batches';
      return c.json(
        {
          token,
          expires_at: new Date(expires * 1000).toISOString(),
          stream_url: `/v1/${collection}/${id}/stream?token=${encodeURIComponent(token)}`,
        },
        200,
      );
    });
  }
}
