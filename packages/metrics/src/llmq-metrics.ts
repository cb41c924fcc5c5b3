import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { type JobMetrics, jobMetrics } from './job-metrics.ts';
import { type RetentionMetrics, retentionMetrics } from './retention-metrics.ts';

/** Buckets for request and job durations, in seconds: 5 ms to 10 minutes. */
const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600];

export interface LlmqMetrics {
  readonly registry: Registry;
  /** Records what a worker's attempts report (pass as the engine's `observer`). */
  readonly jobs: JobMetrics;
  /** Records what retention passes removed (pass as the retention job's `onPass`). */
  readonly retention: RetentionMetrics;
  readonly httpRequestDuration: Histogram<'method' | 'route' | 'status'>;
  /** Open Server-Sent Events streams by kind (`prompt`, `batch`, `chat`). */
  readonly sseClients: Gauge<'stream'>;
  readonly httpRequests: Counter<'method' | 'route' | 'status'>;
  /** Prometheus text exposition of every series. */
  render(): Promise<string>;
}

/**
 * One process's metrics: the process's own (CPU, memory, event loop lag, GC), job attempts,
 * HTTP requests and SSE clients, all named `llmq_…`. Queue depth is added by the api (see
 * `registerQueueDepth`), which sees the queue and the database.
 */
export function createMetrics(labels: Record<string, string> = {}): LlmqMetrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  collectDefaultMetrics({ register: registry, prefix: 'llmq_' });
  const httpRequestDuration = new Histogram({
    name: 'llmq_http_request_duration_seconds',
    help: 'HTTP request durations (until the body ends: a stream counts for as long as it lasts)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: durationBuckets,
    registers: [registry],
  });
  const httpRequests = new Counter({
    name: 'llmq_http_requests_total',
    help: 'HTTP requests by route and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const sseClients = new Gauge({
    name: 'llmq_sse_clients',
    help: 'Open Server-Sent Events streams',
    labelNames: ['stream'] as const,
    registers: [registry],
  });
  return {
    registry,
    jobs: jobMetrics(registry, durationBuckets),
    retention: retentionMetrics(registry),
    httpRequestDuration,
    httpRequests,
    sseClients,
    render: () => registry.metrics(),
  };
}
