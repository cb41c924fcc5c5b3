import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { healthSchema, type Readiness, readinessSchema } from '@llmq/contracts';
import type { ApiDependencies } from '../server/api-dependencies.ts';
import type { ApiEnv } from '../server/api-env.ts';

const healthRoute = createRoute({
  method: 'get',
  path: '/healthz',
  summary: 'The process is up',
  responses: {
    200: { description: 'Up', content: { 'application/json': { schema: healthSchema } } },
  },
});

const readyRoute = createRoute({
  method: 'get',
  path: '/readyz',
  summary:
    'Redis, the database and the blob store each answer, and the process is not shutting down',
  responses: {
    200: { description: 'Ready', content: { 'application/json': { schema: readinessSchema } } },
    503: { description: 'Not ready', content: { 'application/json': { schema: readinessSchema } } },
  },
});

async function check(probe: () => Promise<unknown>, timeoutMs = 2_000) {
  try {
    await Promise.race([
      probe(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs),
      ),
    ]);
    return { status: 'ok' as const };
  } catch (error) {
    return {
      status: 'unavailable' as const,
      detail: error instanceof Error ? error.message : String(error),
    };
  }
}

export function registerHealthRoutes(app: OpenAPIHono<ApiEnv>, deps: ApiDependencies): void {
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));
  app.openapi(readyRoute, async (c) => {
    const [redis, database, storage] = await Promise.all([
      check(() => Promise.all(deps.redis.map((connection) => connection.ping()))),
      check(() => deps.database.ping()),
      check(() => deps.services.blobs.check()),
    ]);
    const draining = deps.draining?.() === true;
    const ready =
      !draining && redis.status === 'ok' && database.status === 'ok' && storage.status === 'ok';
    const body: Readiness = {
      status: ready ? 'ok' : 'unavailable',
      ...(draining ? { draining: true as const } : {}),
      checks: { redis, database, storage },
    };
    return ready ? c.json(body, 200) : c.json(body, 503);
  });
}
