import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { problemOf, useApi } from '../server/api.fixture.ts';
import type { ApiEnv } from '../server/api-env.ts';
import { createApp } from '../server/app.ts';

const api = useApi();
const page =
  '<!doctype html><title>llmq console</title><script type="module" src="/assets/index-abc123.js"></script>';
let folder: string;
let app: OpenAPIHono<ApiEnv>;
let unbuilt: OpenAPIHono<ApiEnv>;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'llmq-web-console-'));
  await mkdir(join(folder, 'assets'));
  await writeFile(join(folder, 'index.html'), page);
  await writeFile(join(folder, 'assets', 'index-abc123.js'), 'console.log("console");');
  app = createApp(api().deps, { webConsoleFolder: folder });
  unbuilt = createApp(api().deps, { webConsoleFolder: join(folder, 'missing') });
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const html = { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' };

describe('the web console', () => {
  it('is served at / with a strict content security policy', async () => {
    const response = await app.request('/', { headers: html });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(await response.text()).toBe(page);
  });

  it('serves its hashed assets for as long as a browser likes', async () => {
    const response = await app.request('/assets/index-abc123.js');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/javascript/);
    expect(response.headers.get('cache-control')).toContain('immutable');
    expect(await response.text()).toBe('console.log("console");');
  });

  it("answers the console's own paths with its page, when a browser asks for HTML", async () => {
    for (const path of ['/prompts', '/prompts/01JABC', '/batches/01JABC', '/conversations/x']) {
      const response = await app.request(path, { headers: html });
      expect(response.status, path).toBe(200);
      expect(await response.text()).toBe(page);
    }
  });

  it('leaves the API its problems: unknown /v1 paths, files and non-HTML requests are 404', async () => {
    for (const [path, headers] of [
      ['/v1/nothing-here', html],
      ['/v1/prompts/01JABC/nothing', html],
      ['/assets/missing.js', html],
      ['/prompts/01JABC', { accept: 'application/json' }],
      ['/prompts/01JABC', {}],
    ] as const) {
      const problem = await problemOf(await app.request(path, { headers }), 404);
      expect(problem.type, path).toBe('urn:llmq:problem:route-not-found');
    }
    const post = await app.request('/', { method: 'POST', headers: html });
    await problemOf(post, 404);
    // The OpenAI facade answers its own unknown paths, in its own error format.
    const facade = await app.request('/openai/v1/nothing', { headers: html });
    expect(facade.status).toBe(404);
    expect(await facade.text()).not.toBe(page);
  });

  it('keeps the API routes as they were', async () => {
    const models = await app.request('/v1/models', { headers: html });
    expect(models.status).toBe(200);
    expect(((await models.json()) as { data: unknown[] }).data.length).toBeGreaterThan(0);
    const docs = await app.request('/docs', { headers: html });
    expect(docs.status).toBe(200);
    expect(await docs.text()).not.toBe(page);
    expect((await app.request('/healthz')).status).toBe(200);
  });

  it('serves nothing outside its folder', async () => {
    for (const path of [
      '/assets/%2e%2e/%2e%2e/etc/passwd',
      '/%2e%2e/secret',
      '/assets/..%2f..%2fx',
    ]) {
      const response = await app.request(path, { headers: { accept: '*/*' } });
      expect(response.status, path).toBe(404);
    }
  });

  it('says how to build it when it is not built', async () => {
    const problem = await problemOf(await unbuilt.request('/', { headers: html }), 503);
    expect(problem.detail).toMatch(/pnpm build/);
    await problemOf(await unbuilt.request('/v1/nothing', { headers: html }), 404);
  });
});
