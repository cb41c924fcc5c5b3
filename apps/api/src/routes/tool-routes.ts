import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { toolListSchema } from '@llmq/contracts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const listToolsRoute = createRoute({
  method: 'get',
  path: '/v1/tools',
  summary: 'The tools the server runs: the plugins’ and the configured MCP servers’',
  description:
    'Name one in a prompt’s `tools` to let the model call it; the workers run it. `source` says where it comes from: `plugin:<name>` or `mcp:<server>` (LLMQ_MCP_SERVERS, listed when the server started).',
  responses: {
    200: { description: 'Tools', content: { 'application/json': { schema: toolListSchema } } },
  },
});

export function registerToolRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  const { tools } = deps.services;
  app.openapi(listToolsRoute, (c) => {
    const data = tools.list().map((entry) => ({
      name: entry.tool.name,
      description: entry.tool.description ?? null,
      input_schema: entry.tool.inputSchema,
      source: entry.source,
      hash: entry.hash,
    }));
    return c.json({ data }, 200);
  });
}
