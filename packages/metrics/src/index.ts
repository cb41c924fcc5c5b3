export { type JobMetrics, jobMetrics } from './job-metrics.ts';
export { createMetrics, type LlmqMetrics } from './llmq-metrics.ts';
export { type MetricsServer, startMetricsServer } from './metrics-server.ts';
export { type QueueDepthSources, registerQueueDepth } from './queue-depth.ts';
export { type RetentionMetrics, retentionMetrics } from './retention-metrics.ts';
