import { parsePrometheusText, sampleValue } from '@llmq/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { createMetrics } from './llmq-metrics.ts';
import { type MetricsServer, startMetricsServer } from './metrics-server.ts';

describe('a worker metrics server', () => {
  let healthy = true;
  const metrics = createMetrics({ component: 'worker' });
  let server: MetricsServer;
  afterAll(() => server.close());

  it('serves every series named llmq_…, job series included, and health that follows the worker', async () => {
    server = await startMetricsServer(metrics, {
      port: 0,
      host: '127.0.0.1',
      healthy: () => healthy,
    });
    metrics.jobs.started('echo', 40);
    metrics.jobs.firstChunk('echo', 12);
    metrics.jobs.ended('echo', 'succeeded', 250, { input: 3, output: 7 });
    metrics.jobs.ended('echo', 'retrying', 20, undefined);
    metrics.jobs.promptMissing();
    const base = `http://127.0.0.1:${server.port}`;
    const answer = await fetch(`${base}/metrics`);
    expect(answer.headers.get('content-type')).toMatch(/^text\/plain/);
    const samples = parsePrometheusText(await answer.text());
    expect(samples.length).toBeGreaterThan(20);
    expect(samples.every((sample) => sample.name.startsWith('llmq_'))).toBe(true);
    expect(samples.every((sample) => sample.labels.component === 'worker')).toBe(true);
    const echo = { model: 'echo' };
    expect(sampleValue(samples, 'llmq_jobs_total', { ...echo, status: 'succeeded' })).toBe(1);
    expect(
      sampleValue(samples, 'llmq_jobs_total', { ...echo, status: 'retrying' }),
    ).toBeUndefined();
    expect(sampleValue(samples, 'llmq_job_attempts_total', { ...echo, outcome: 'retrying' })).toBe(
      1,
    );
    expect(sampleValue(samples, 'llmq_tokens_total', { ...echo, direction: 'input' })).toBe(3);
    expect(sampleValue(samples, 'llmq_tokens_total', { ...echo, direction: 'output' })).toBe(7);
    expect(sampleValue(samples, 'llmq_time_to_first_chunk_seconds_sum', echo)).toBe(0.012);
    expect(sampleValue(samples, 'llmq_job_wait_seconds_sum', echo)).toBe(0.04);
    expect(sampleValue(samples, 'llmq_jobs_without_prompt_total', {})).toBe(1);
    expect(
      sampleValue(samples, 'llmq_job_duration_seconds_count', { ...echo, outcome: 'succeeded' }),
    ).toBe(1);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    healthy = false;
    expect((await fetch(`${base}/healthz`)).status).toBe(503);
    expect((await fetch(`${base}/other`)).status).toBe(404);
  });
});
