import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { modelListSchema, problemSchema } from '@llmq/contracts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const listModelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  summary: 'The models, their aliases, attachment types and options (JSON Schema)',
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: modelListSchema } } },
    503: { description: 'Unavailable', ...problem },
  },
});

export function registerModelRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(listModelsRoute, (c) =>
    c.json(
      {
        data: deps.services.models.list().map((model) => ({
          id: model.id,
          aliases: [...model.aliases],
          can_stream: model.canStream,
          supports_schema: model.supportsSchema,
          attachment_types: [...model.attachmentTypes],
          options: model.options,
          needs_key: model.needsKey,
          key_env_var: model.keyEnvVar,
        })),
      },
      200,
    ),
  );
}
