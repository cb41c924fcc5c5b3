import { OpenAPIHono } from '@hono/zod-openapi';
import { problemCatalogue } from '@llmq/contracts';
import { adminOnly } from '../auth/admin-only.ts';
import { authMiddleware } from '../auth/auth-middleware.ts';
import { loopbackHostGuard } from '../auth/loopback-host-guard.ts';
import { mountQueueDashboard } from '../consoles/queue-dashboard.ts';
import { mountWebConsole } from '../consoles/web-console.ts';
import { httpMetrics } from '../observability/http-metrics.ts';
import { httpTracing } from '../observability/http-tracing.ts';
import { requestLogger } from '../observability/request-logger.ts';
import { createOpenAIApp } from '../openai/openai-app.ts';
import { problemFor, problemOf, sendProblem } from '../problems/problems.ts';
import { validationProblem } from '../problems/validation-problem.ts';
import { registerAttachmentRoutes } from '../routes/attachment-routes.ts';
import { registerBatchRoutes } from '../routes/batch-routes.ts';
import { registerConversationRoutes } from '../routes/conversation-routes.ts';
import { registerDeleteRoutes } from '../routes/delete-routes.ts';
import { registerDocsRoutes } from '../routes/docs-routes.ts';
import { registerHealthRoutes } from '../routes/health-routes.ts';
import { registerKeyRoutes } from '../routes/key-routes.ts';
import { registerModelRoutes } from '../routes/model-routes.ts';
import { registerOwnerLimitRoutes } from '../routes/owner-limit-routes.ts';
import { registerPromptRoutes } from '../routes/prompt-routes.ts';
import { registerProviderKeyRoutes } from '../routes/provider-key-routes.ts';
import { registerSchemaRoutes } from '../routes/schema-routes.ts';
import { registerTokenRoutes } from '../routes/token-routes.ts';
import { registerToolRoutes } from '../routes/tool-routes.ts';
import { registerUsageRoutes } from '../routes/usage-routes.ts';
import { registerWebhookRoutes } from '../routes/webhook-routes.ts';
import { logUnreachableUrl } from '../uploads/log-unreachable-url.ts';
import type { ApiDependencies } from './api-dependencies.ts';
import type { ApiEnv } from './api-env.ts';
import { requireRedis } from './require-redis.ts';

export interface AppOptions {
  /** Serve the web console from this folder (its build) at /. */
  readonly webConsoleFolder?: string;
}

/** The HTTP API: every route, its OpenAPI document, and one error mapping. */
export function createApp(deps: ApiDependencies, options: AppOptions = {}): OpenAPIHono<ApiEnv> {
  const app = new OpenAPIHono<ApiEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return sendProblem(c, validationProblem(result.error, result.target));
    },
  });
  if (deps.tracer) app.use(httpTracing(deps.tracer));
  app.use(requestLogger(deps.logger));
  app.use(httpMetrics(deps.metrics));
  // Before every route, the console's and the docs' too: without keys, loopback hosts only.
  app.use(loopbackHostGuard(deps.auth.authenticator));
  app.onError((error, c) => {
    const problem = problemFor(error);
    if (problem) {
      if (problem.status >= 500) deps.logger.warn({ err: error, path: c.req.path }, problem.detail);
      logUnreachableUrl(deps.logger, error, c.req.path);
      return sendProblem(c, problem);
    }
    deps.logger.error({ err: error, path: c.req.path }, 'unexpected error');
    return sendProblem(
      c,
      problemOf(
        problemCatalogue.internalError,
        'The server failed to handle this request; it has been logged',
      ),
    );
  });
  app.notFound((c) =>
    sendProblem(
      c,
      problemOf(
        problemCatalogue.routeNotFound,
        `There is no route ${c.req.method} ${c.req.path}; /docs lists the API`,
      ),
    ),
  );
  app.use('/v1/*', authMiddleware(deps.auth.authenticator, deps.auth.tokenSecret));
  app.use('/v1/prompts', requireRedis(deps.redis));
  app.use('/v1/batches', requireRedis(deps.redis));
  registerHealthRoutes(app, deps);
  const metricsAccess = deps.settings.metricsAccess ?? 'admin';
  if (metricsAccess === 'admin') {
    app.use(
      '/metrics',
      adminOnly(
        deps.auth.authenticator,
        '/metrics',
        ', or set LLMQ_METRICS_ACCESS=public (no key) or port (a port of its own) on the server',
      ),
    );
  }
  if (metricsAccess !== 'port') {
    app.get('/metrics', async (c) =>
      c.body(await deps.metrics.render(), 200, {
        'content-type': deps.metrics.registry.contentType,
      }),
    );
  }
  mountQueueDashboard(app, deps.services.queue, deps.auth.authenticator);
  registerKeyRoutes(app, deps, deps.auth.authenticator);
  registerOwnerLimitRoutes(app, deps, deps.auth.authenticator);
  registerProviderKeyRoutes(app, deps);
  registerTokenRoutes(app, deps, deps.auth.tokenSecret, deps.auth.tokenTtlSeconds);
  registerModelRoutes(app, deps);
  registerToolRoutes(app, deps);
  registerUsageRoutes(app, deps);
  registerAttachmentRoutes(app, deps);
  registerPromptRoutes(app, deps);
  registerConversationRoutes(app, deps);
  registerBatchRoutes(app, deps, deps.settings.maxBatchFileBytes);
  registerSchemaRoutes(app, deps);
  registerDeleteRoutes(app, deps);
  registerWebhookRoutes(app, deps);
  app.route('/openai/v1', createOpenAIApp(deps));
  registerDocsRoutes(app);
  // Last: it answers only what no route of the API has.
  if (options.webConsoleFolder) mountWebConsole(app, options.webConsoleFolder);
  return app;
}
