import type { MetricsServer } from '@llmq/metrics';
import { afterAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';
import { serveMetricsApart } from './serve-metrics-apart.ts';

const adminKey = 'admin-key-for-metrics-access-0123';
const basic = (password: string) =>
  `Basic ${Buffer.from(`prometheus:${password}`).toString('base64')}`;

describe('with keys on, /metrics by default (LLMQ_METRICS_ACCESS=admin)', () => {
  const api = useApi({ adminKeys: [adminKey] });
  const scrape = (authorization?: string) =>
    fetch(`${api().baseUrl}/metrics`, authorization ? { headers: { authorization } } : {});

  it('refuses a scrape without a key, saying what to send or set', async () => {
    const response = await scrape();
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    const problem = await problemOf(response, 401);
    expect(problem.detail).toContain('/metrics takes an admin key');
    expect(problem.detail).toContain('LLMQ_METRICS_ACCESS=public');
  });

  it("refuses an owner key (403) and a key the server doesn't know (401)", async () => {
    const created = await fetch(`${api().baseUrl}/v1/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'not an admin' }),
    });
    const { key } = (await created.json()) as { key: string };
    const owner = await problemOf(await scrape(`Bearer ${key}`), 403);
    expect(owner.detail).toContain('/metrics is for admin keys (LLMQ_API_KEYS) only');
    await problemOf(await scrape('Bearer not-a-key'), 401);
  });

  it('serves an admin key, as a Bearer token or as a Basic auth password', async () => {
    for (const authorization of [`Bearer ${adminKey}`, basic(adminKey)]) {
      const response = await scrape(authorization);
      expect(response.status).toBe(200);
      expect(await response.text()).toContain('llmq_process_resident_memory_bytes');
    }
  });
});

describe('with keys on and LLMQ_METRICS_ACCESS=public', () => {
  const api = useApi({ adminKeys: [adminKey], settings: { metricsAccess: 'public' } });

  it('serves a scrape without a key, while /v1 still needs one', async () => {
    const response = await fetch(`${api().baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('llmq_process_resident_memory_bytes');
    await problemOf(await fetch(`${api().baseUrl}/v1/prompts`), 401);
  });
});

describe('with LLMQ_METRICS_ACCESS=port', () => {
  const api = useApi({ adminKeys: [adminKey], settings: { metricsAccess: 'port' } });
  let apart: MetricsServer | undefined;

  afterAll(async () => {
    await apart?.close();
  });

  it("serves metrics on a port of their own, without a key, and none on the api's port", async () => {
    const onApiPort = await fetch(`${api().baseUrl}/metrics`, {
      headers: { authorization: `Bearer ${adminKey}` },
    });
    expect((await problemOf(onApiPort, 404)).type).toBe('urn:llmq:problem:route-not-found');
    apart = await serveMetricsApart(
      { LLMQ_METRICS_ACCESS: 'port', LLMQ_METRICS_PORT: 0, LLMQ_METRICS_HOST: '127.0.0.1' },
      api().deps.metrics,
      api().deps.logger,
    );
    const response = await fetch(`http://127.0.0.1:${apart?.port}/metrics`);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('llmq_process_resident_memory_bytes');
  });

  it('starts no metrics server unless asked to', async () => {
    const none = await serveMetricsApart(
      { LLMQ_METRICS_ACCESS: 'admin', LLMQ_METRICS_PORT: 0, LLMQ_METRICS_HOST: '127.0.0.1' },
      api().deps.metrics,
      api().deps.logger,
    );
    expect(none).toBeUndefined();
  });
});
