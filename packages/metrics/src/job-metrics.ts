import type { AttemptOutcome, JobObserver } from '@llmq/engine';
import { Counter, Histogram, type Registry } from 'prom-client';

/** A `JobObserver` that records attempts as Prometheus series. */
export type JobMetrics = JobObserver;

export function jobMetrics(registry: Registry, buckets: number[]): JobMetrics {
  const attempts = new Counter({
    name: 'llmq_job_attempts_total',
    help: 'Job attempts by model and how they ended (succeeded, failed, cancelled, retrying, handed_back, skipped)',
    labelNames: ['model', 'outcome'] as const,
    registers: [registry],
  });
  const jobs = new Counter({
    name: 'llmq_jobs_total',
    help: 'Jobs that ended for good, by model and status (succeeded, failed, cancelled)',
    labelNames: ['model', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'llmq_job_duration_seconds',
    help: 'How long attempts ran, by model and outcome',
    labelNames: ['model', 'outcome'] as const,
    buckets,
    registers: [registry],
  });
  const firstChunk = new Histogram({
    name: 'llmq_time_to_first_chunk_seconds',
    help: "From an attempt's start to its first text, by model",
    labelNames: ['model'] as const,
    buckets,
    registers: [registry],
  });
  const wait = new Histogram({
    name: 'llmq_job_wait_seconds',
    help: 'From queueing to the first attempt starting, by model',
    labelNames: ['model'] as const,
    buckets,
    registers: [registry],
  });
  const tokens = new Counter({
    name: 'llmq_tokens_total',
    help: 'Tokens the models reported, by model and direction (input, output)',
    labelNames: ['model', 'direction'] as const,
    registers: [registry],
  });
  const promptsMissing = new Counter({
    name: 'llmq_jobs_without_prompt_total',
    help: "Jobs whose prompt this service's database does not have (another service on the same Redis and queue prefix, or a deleted row); each fails for good",
    registers: [registry],
  });
  const final = new Set<AttemptOutcome>(['succeeded', 'failed', 'cancelled']);
  return {
    started(model, waitMs) {
      if (waitMs !== undefined) wait.observe({ model }, Math.max(0, waitMs) / 1000);
    },
    firstChunk(model, afterMs) {
      firstChunk.observe({ model }, afterMs / 1000);
    },
    promptMissing() {
      promptsMissing.inc();
    },
    ended(model, outcome, durationMs, usage) {
      attempts.inc({ model, outcome });
      duration.observe({ model, outcome }, durationMs / 1000);
      if (final.has(outcome)) jobs.inc({ model, status: outcome });
      if (usage?.input) tokens.inc({ model, direction: 'input' }, usage.input);
      if (usage?.output) tokens.inc({ model, direction: 'output' }, usage.output);
    },
  };
}
