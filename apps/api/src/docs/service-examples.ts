import type { RouteExample } from './route-example.ts';

/** The service itself: health, metrics, documentation, the queue dashboard. */
export const serviceExamples: Readonly<Record<string, RouteExample>> = {
  'get /healthz': { response: { status: 'ok' } },
  'get /readyz': {
    response: {
      status: 'ok',
      checks: { redis: { status: 'ok' }, database: { status: 'ok' }, storage: { status: 'ok' } },
    },
  },
  'get /metrics': {
    response:
      '# HELP llmq_jobs_total Prompt jobs that ended, by model and status.\n# TYPE llmq_jobs_total counter\nllmq_jobs_total{model="gpt-4o-mini",status="succeeded"} 42\n',
  },
  'get /docs': { response: '<!doctype html>… (Swagger UI)' },
  'get /openapi.json': {
    response: { openapi: '3.1.0', info: { title: 'llmq', version: '0.1.0' } },
  },
  'get /admin/queues': { response: '<!doctype html>… (the BullMQ dashboard)' },
};
