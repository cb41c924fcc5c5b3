import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { modelListSchema, problemSchema } from '@llmq/contracts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const listModelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'The models, their aliases, attachment types and options (JSON Schema)',
  description:
    'A model that needs a key the server has neither in its environment nor stored (PUT /v1/provider-keys/{name}) is listed with `available: false` and why; prompts for it are refused. `default` marks the model of prompts that name none.',
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: modelListSchema } } },
    503: { description: 'Unavailable', ...problem },
  },
});

export function registerModelRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { models, providerKeys, defaultModel } = deps.services;
  app.openapi(listModelsRoute, async (c) => {
    const data = await Promise.all(
      models.list().map(async (model) => {
        const availability = await providerKeys.availability(models.get(model.id));
        return {
          id: model.id,
          aliases: [...model.aliases],
          can_stream: model.canStream,
          supports_schema: model.supportsSchema,
          attachment_types: [...model.attachmentTypes],
          options: model.options,
          needs_key: model.needsKey,
          key_env_var: model.keyEnvVar,
          available: availability.available,
          unavailable_reason: availability.reason,
          default: model.id === defaultModel,
        };
      }),
    );
    return c.json({ data }, 200);
  });
}
