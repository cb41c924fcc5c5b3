import type { Hono } from 'hono';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

/** `/models`: every registered model, by id (aliases answer `GET /models/{alias}` too). */
export function registerOpenAIModelRoutes(app: Hono<ApiEnv>, deps: ApiDependencies): void {
  const { models } = deps.services;
  const modelBody = (id: string) => ({
    id,
    object: 'model' as const,
    created: 0,
    owned_by: 'llmq',
  });

  app.get('/models', (c) =>
    c.json({ object: 'list', data: models.list().map((model) => modelBody(model.id)) }),
  );

  app.get('/models/:model{.+}', (c) => c.json(modelBody(models.get(c.req.param('model')).modelId)));
}
