import { type PrometheusSample, parsePrometheusText, sampleValue, waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const api = useApi();

async function scrape(): Promise<PrometheusSample[]> {
  const answer = await fetch(`${api().baseUrl}/metrics`);
  expect(answer.status).toBe(200);
  return parsePrometheusText(await answer.text());
}

describe('GET /metrics', () => {
  it('has the series operators need, with values that follow what happened', async () => {
    const { client } = api();
    for (let index = 0; index < 3; index++) {
      await client.createPrompt({ model: 'echo', prompt: `metrics ${index}` }, { wait: true });
    }
    const failed = await client.createPrompt({
      model: 'echo',
      prompt: 'fail',
      options: { fail: 'fatal' },
    });
    // A prompt that runs until cancelled: running while scraped, and a stream open on it.
    const slow = await client.createPrompt({
      model: 'echo',
      prompt: 'slow',
      options: { delay_ms: 60_000 },
    });
    const stream = await fetch(`${api().baseUrl}/v1/prompts/${slow.id}/stream`);
    const echo = { model: 'echo' };
    // An attempt is counted just after its row is written: wait for the counts themselves.
    await waitFor(async () => {
      const counted = await scrape();
      return (
        sampleValue(counted, 'llmq_jobs_total', { ...echo, status: 'failed' }) === 1 &&
        (sampleValue(counted, 'llmq_jobs_total', { ...echo, status: 'succeeded' }) ?? 0) >= 3
      );
    }, 'the ended prompts to be counted');
    expect((await client.getPrompt(failed.id)).status).toBe('failed');
    await waitFor(
      async () => (await client.getPrompt(slow.id)).status === 'running',
      'the slow prompt to run',
    );
    const samples = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) =>
      sampleValue(samples, name, labels);
    expect(samples.every((sample) => sample.name.startsWith('llmq_'))).toBe(true);
    expect(value('llmq_jobs_total', { ...echo, status: 'succeeded' })).toBeGreaterThanOrEqual(3);
    expect(value('llmq_jobs_total', { ...echo, status: 'failed' })).toBe(1);
    expect(value('llmq_tokens_total', { ...echo, direction: 'input' })).toBeGreaterThan(0);
    expect(value('llmq_tokens_total', { ...echo, direction: 'output' })).toBeGreaterThan(0);
    expect(value('llmq_time_to_first_chunk_seconds_count', echo)).toBeGreaterThanOrEqual(3);
    expect(
      value('llmq_job_duration_seconds_count', { ...echo, outcome: 'succeeded' }),
    ).toBeGreaterThanOrEqual(3);
    expect(value('llmq_job_wait_seconds_count', echo)).toBeGreaterThanOrEqual(5);
    expect(value('llmq_queue_depth', { ...echo, state: 'running' })).toBe(1);
    expect(value('llmq_queue_jobs', { state: 'active' })).toBe(1);
    // The api's in-process worker listens on the echo queue.
    expect(value('llmq_queue_workers', echo)).toBe(1);
    // Ended jobs are removed from the queue (PostgreSQL keeps the prompts): these stay low.
    for (const state of ['waiting', 'prioritized', 'delayed', 'completed', 'failed']) {
      expect(value('llmq_queue_jobs', { state }), state).toBeGreaterThanOrEqual(0);
    }
    expect(value('llmq_sse_clients', { stream: 'prompt' })).toBe(1);
    expect(
      value('llmq_http_requests_total', { method: 'POST', route: '/v1/prompts', status: '202' }),
    ).toBeGreaterThanOrEqual(2);
    expect(
      value('llmq_http_request_duration_seconds_count', {
        method: 'GET',
        route: '/v1/prompts/:id',
      }),
    ).toBeGreaterThanOrEqual(2);
    expect(value('llmq_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(value('llmq_nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0);

    await client.cancelPrompt(slow.id);
    await stream.text();
    const after = await scrape();
    expect(sampleValue(after, 'llmq_sse_clients', { stream: 'prompt' })).toBe(0);
    expect(sampleValue(after, 'llmq_queue_depth', { ...echo, state: 'running' })).toBeUndefined();
    await waitFor(
      async () =>
        sampleValue(await scrape(), 'llmq_jobs_total', { ...echo, status: 'cancelled' }) === 1,
      'the cancelled attempt to be counted',
    );
  });
});
