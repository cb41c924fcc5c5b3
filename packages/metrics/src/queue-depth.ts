import { Gauge } from 'prom-client';
import type { LlmqMetrics } from './llmq-metrics.ts';

export interface QueueDepthSources {
  /** BullMQ's job counts by state (waiting, prioritized, active, delayed, …). */
  jobCounts(): Promise<Record<string, number>>;
  /** Prompts not yet ended, by model and status (queued, running). */
  promptCounts(): Promise<ReadonlyArray<{ model: string; status: string; count: number }>>;
  /** BullMQ workers listening on each model's queue, fleet-wide. */
  workerCounts(): Promise<ReadonlyArray<{ model: string; workers: number }>>;
}

/**
 * Queue depth, read when scraped: BullMQ's counts by state, the prompts waiting or running by
 * model, and the workers listening for each model. One process should export these (the api), or a fleet counts them many times over.
 */
export function registerQueueDepth(metrics: LlmqMetrics, sources: QueueDepthSources): void {
  new Gauge({
    name: 'llmq_queue_jobs',
    help: 'Jobs in the queue by BullMQ state; waiting + prioritized is what autoscaling follows',
    labelNames: ['state'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const [state, count] of Object.entries(await sources.jobCounts())) {
        this.set({ state }, count);
      }
    },
  });
  new Gauge({
    name: 'llmq_queue_depth',
    help: 'Prompts not yet ended, by model and state (queued, running)',
    labelNames: ['model', 'state'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset();
      for (const { model, status, count } of await sources.promptCounts()) {
        this.set({ model, state: status }, count);
      }
    },
  });
  new Gauge({
    name: 'llmq_queue_workers',
    help: 'BullMQ workers listening on each model queue, fleet-wide; 0 with prompts queued means they wait for a worker that loads the model',
    labelNames: ['model'] as const,
    registers: [metrics.registry],
    async collect() {
      this.reset();
      // Some managed Redis services refuse CLIENT LIST: then this series is absent, and the
      // rest of the scrape still answers.
      const counts = await sources.workerCounts().catch(() => []);
      for (const { model, workers } of counts) this.set({ model }, workers);
    },
  });
}
