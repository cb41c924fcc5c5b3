import { Hono } from 'hono';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { requireRedis } from '../server/require-redis.ts';
import { logUnreachableUrl } from '../uploads/log-unreachable-url.ts';
import { registerOpenAIBatchRoutes } from './batch-routes.ts';
import { registerChatRoutes } from './chat-routes.ts';
import { registerFileRoutes } from './file-routes.ts';
import { registerOpenAIModelRoutes } from './model-routes.ts';
import { openAIAuth } from './openai-auth.ts';
import { OpenAIRequestError, openAIErrorFor, sendOpenAIError } from './openai-error.ts';
import { registerResponsesRoutes } from './responses-routes.ts';

/**
 * The OpenAI-compatible facade, mounted at `/openai/v1`: OpenAI's routes and formats, errors in
 * OpenAI's shape, over the same engine as llmq's own API (every call a stored, queued prompt).
 */
export function createOpenAIApp(deps: ApiDependencies): Hono<ApiEnv> {
  const app = new Hono<ApiEnv>();
  app.onError((error, c) => {
    const mapped = openAIErrorFor(error);
    if (mapped) {
      if (mapped.status >= 500)
        deps.logger.warn({ err: error, path: c.req.path }, mapped.body.message);
      logUnreachableUrl(deps.logger, error, c.req.path);
      return sendOpenAIError(c, mapped.status, mapped.body, mapped.retryAfter);
    }
    deps.logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return sendOpenAIError(c, 500, {
      message: 'The server failed to handle this request; it has been logged',
      type: 'server_error',
      param: null,
      code: null,
    });
  });
  app.use(openAIAuth(deps.auth.authenticator));
  app.use('/chat/completions', requireRedis(deps.redis));
  app.use('/batches', requireRedis(deps.redis));
  app.use('/responses', requireRedis(deps.redis));
  app.use('/responses/*', requireRedis(deps.redis));
  registerOpenAIModelRoutes(app, deps);
  registerChatRoutes(app, deps);
  registerResponsesRoutes(app, deps);
  registerFileRoutes(app, deps);
  registerOpenAIBatchRoutes(app, deps);
  app.all('*', (c) => {
    throw new OpenAIRequestError(
      404,
      `There is no route ${c.req.method} ${c.req.path}: the facade has /chat/completions, /responses, /models, /files and /batches`,
      null,
      'unknown_url',
    );
  });
  return app;
}
