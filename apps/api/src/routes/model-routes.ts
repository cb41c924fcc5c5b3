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
    'A model that needs a key the server has neither in its environment nor stored (PUT /v1/provider-keys/{name}) is listed with `available: false` and why; prompts for it are refused. `default` marks the model of prompts that name none. `provider`, `endpoint` (the base URL, never with credentials; shown to admin keys only, null for owner keys) and `api` say where and how each model is called.',
  responses: {
    200: { description: 'Models', content: { 'application/json': { schema: modelListSchema } } },
    503: { description: 'Unavailable', ...problem },
  },
});

export function registerModelRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { models, providerKeys, defaultModel } = deps.services;
  app.openapi(listModelsRoute, async (c) => {
    // Where a model is served can name hosts inside the operator's network: owner keys see
    // that a model is served by a provider, only admins (and laptop mode) see its address.
    const showEndpoints = c.get('caller').admin;
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
          provider: shownProvider(registered.provider, registered.endpoint, showEndpoints),
          // Plugins give it without credentials; the schema's word is kept here too, whatever a
          // third-party plugin puts in it.
          endpoint:
            showEndpoints && registered.endpoint !== undefined
              ? shownEndpoint(registered.endpoint)
              : null,
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

/**
 * A provider named after its endpoint's host (the default for a configured endpoint) would show
 * that host: to owner keys it is null, as the endpoint is.
 */
function shownProvider(
  provider: string | undefined,
  endpoint: string | undefined,
  showEndpoints: boolean,
): string | null {
  if (provider === undefined) return null;
  if (showEndpoints || endpoint === undefined || !URL.canParse(endpoint)) return provider;
  return new URL(endpoint).hostname === provider ? null : provider;
}

/** A base URL without user, password, query or fragment: none of them is shown. */
function shownEndpoint(endpoint: string): string {
  if (!URL.canParse(endpoint)) return endpoint;
  const url = new URL(endpoint);
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}
