import { parsePrometheusText, sampleValue } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { createMetrics } from './llmq-metrics.ts';
import { type QueueDepthSources, registerQueueDepth } from './queue-depth.ts';

async function scrape(workerCounts: QueueDepthSources['workerCounts']) {
  const metrics = createMetrics({ component: 'api' });
  registerQueueDepth(metrics, {
    jobCounts: async () => ({ waiting: 4, active: 2 }),
    promptCounts: async () => [{ model: 'echo', status: 'queued', count: 4 }],
    workerCounts,
  });
  return parsePrometheusText(await metrics.registry.metrics());
}

describe('queue depth series', () => {
  it('count the workers listening for each model', async () => {
    const samples = await scrape(async () => [
      { model: 'echo', workers: 3 },
      { model: 'gpt-4o', workers: 0 },
    ]);
    expect(sampleValue(samples, 'llmq_queue_workers', { model: 'echo' })).toBe(3);
    expect(sampleValue(samples, 'llmq_queue_workers', { model: 'gpt-4o' })).toBe(0);
    expect(sampleValue(samples, 'llmq_queue_depth', { model: 'echo', state: 'queued' })).toBe(4);
  });

  it('leave the worker series out when Redis refuses its client list, and answer the rest', async () => {
    const samples = await scrape(async () => {
      throw new Error("ERR unknown command 'CLIENT'");
    });
    expect(samples.some((sample) => sample.name === 'llmq_queue_workers')).toBe(false);
    expect(sampleValue(samples, 'llmq_queue_jobs', { state: 'waiting' })).toBe(4);
  });
});
