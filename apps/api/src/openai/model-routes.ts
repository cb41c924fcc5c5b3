import type { Hono } from 'hono';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

/**
 * `/models`: the registered models that can run (an OpenAI client picks from this list, and a
 * model without its provider key would only be refused), by id; `GET /models/{id}` answers any
 * registered one, aliases too.
 */
export function registerOpenAIModelRoutes(app: Hono<ApiEnv>, deps: ApiDependencies): void {
  const { models, providerKeys } = deps.services;
  const modelBody = (id: string) => ({
    id,
    object: 'model' as const,
    created: 0,
    owned_by: 'llmq',
  });

  app.get('/models', async (c) => {
    const listed = await Promise.all(
      models.models().map(async (model) => ({
        id: model.modelId,
        available: (await providerKeys.availability(model)).available,
      })),
    );
    return c.json({
      object: 'list',
      data: listed.filter((model) => model.available).map((model) => modelBody(model.id)),
    });
  });

  app.get('/models/:model{.+}', (c) => c.json(modelBody(models.get(c.req.param('model')).modelId)));
}
