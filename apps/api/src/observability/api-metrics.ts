import { unfinishedPromptCounts } from '@llmq/db/reads';
import type { PromptServices } from '@llmq/engine';
import { createMetrics, type LlmqMetrics, registerQueueDepth } from '@llmq/metrics';

/** BullMQ states worth a series: where jobs wait, run and end up. */
const jobStates = [
  'waiting',
  'prioritized',
  'active',
  'delayed',
  'waiting-children',
  'completed',
  'failed',
] as const;

/** The api's metrics: its own, plus queue depth (the api exports it for the whole fleet). */
export function createApiMetrics(services: Pick<PromptServices, 'db' | 'queue'>): LlmqMetrics {
  const metrics = createMetrics({ component: 'api' });
  registerQueueDepth(metrics, {
    jobCounts: () => services.queue.jobCounts(...jobStates),
    promptCounts: () => unfinishedPromptCounts(services.db),
    workerCounts: () => services.queue.workerCounts(),
  });
  return metrics;
}
