import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { modelListSchema, problemSchema } from '@llmq/contracts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const problem = { content: { 'application/problem+json': { schema: problemSchema } } };

const listModelsRoute = createRoute({
  method: 'get',
  path: '/v1/models',
  summary:
    'The models, their aliases, attachment types, options (JSON Schema) and where each is served',
  description:
    'A model that needs a key the server has neither in its environment nor stored (PUT /v1/provider-keys/{name}) is listed with `available: false` and why; prompts for it are refused. `default` marks the model of prompts that name none. `provider`, `endpoint` (the base URL, never with credentials) and `api` say where and how each model is called.',
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
        const registered = models.get(model.id);
        const availability = await providerKeys.availability(registered);
        return {
          id: model.id,
          aliases: [...model.aliases],
          can_stream: model.canStream,
          supports_schema: model.supportsSchema,
          supports_tools: model.supportsTools,
          attachment_types: [...model.attachmentTypes],
          options: model.options,
          needs_key: model.needsKey,
          key_env_var: model.keyEnvVar,
          provider: registered.provider ?? null,
          // Plugins give it without credentials; the schema's word is kept here too, whatever a
          // third-party plugin puts in it.
          endpoint: registered.endpoint === undefined ? null : shownEndpoint(registered.endpoint),
          api: registered.api ?? null,
          fallbacks: [...registered.fallbacks],
          available: availability.available,
          unavailable_reason: availability.reason,
          default: model.id === defaultModel,
        };
      }),
    );
    return c.json({ data }, 200);
  });
}

/** A base URL without user, password, query or fragment: none of them is shown. */
function shownEndpoint(endpoint: string): string {
  if (!URL.canParse(endpoint)) return endpoint;
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
