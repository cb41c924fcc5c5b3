import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { PromptQueue } from '@llmq/queue';
import type { MiddlewareHandler } from 'hono';
import type { ApiEnv } from './api-env.ts';
import type { Authenticator } from './authenticator.ts';
import { ProblemError } from './problems.ts';

export const queueDashboardPath = '/admin/queues';

/**
 * Admins only, once keys exist: a Bearer admin key, or Basic auth with the key as password so
 * a browser can ask for it.
 */
function adminOnly(authenticator: Authenticator): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const basic = /^Basic\s+(\S+)$/i.exec(header);
    const bearer = basic
      ? `Bearer ${Buffer.from(basic[1] as string, 'base64')
          .toString('utf8')
          .split(':')
          .slice(1)
          .join(':')}`
      : header;
    const result = await authenticator.authenticate(bearer);
    if (result.outcome === 'open' || (result.outcome === 'caller' && result.caller.admin)) {
      return next();
    }
    c.header('www-authenticate', 'Basic realm="llmq queues", charset="UTF-8"');
    throw new ProblemError(
      result.outcome === 'refused' ? 401 : 403,
      result.outcome === 'refused' ? 'unauthorized' : 'forbidden',
      result.outcome === 'refused' ? 'Unauthorized' : 'Forbidden',
      result.outcome === 'refused'
        ? `${result.reason}; the queue dashboard takes an admin key (as the Basic auth password in a browser)`
        : 'The queue dashboard is for admin keys (LLMQ_API_KEYS) only',
    );
  };
}

/** The BullMQ dashboard (bull-board) at /admin/queues. */
export function mountQueueDashboard(
  app: OpenAPIHono<ApiEnv>,
  queue: PromptQueue,
  authenticator: Authenticator,
): void {
  const adapter = new HonoAdapter(serveStatic);
  adapter.setBasePath(queueDashboardPath);
  createBullBoard({
    queues: queue.queues().map((each) => new BullMQAdapter(each.queue)),
    serverAdapter: adapter,
  });
  app.use(queueDashboardPath, adminOnly(authenticator));
  app.use(`${queueDashboardPath}/*`, adminOnly(authenticator));
  app.route(queueDashboardPath, adapter.registerPlugin());
}
