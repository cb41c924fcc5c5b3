import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { HonoAdapter } from '@bull-board/hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { PromptQueue } from '@llmq/queue';
import { adminOnly } from '../auth/admin-only.ts';
import type { Authenticator } from '../auth/authenticator.ts';
import type { ApiEnv } from '../server/api-env.ts';

export const queueDashboardPath = '/admin/queues';

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
  const guard = adminOnly(authenticator, 'the queue dashboard');
  app.use(queueDashboardPath, guard);
  app.use(`${queueDashboardPath}/*`, guard);
  app.route(queueDashboardPath, adapter.registerPlugin());
}
