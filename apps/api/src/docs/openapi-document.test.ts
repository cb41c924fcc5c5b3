import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import type { ApiEnv } from '../server/api-env.ts';
import { openApiDocument } from './openapi-document.ts';

describe('openApiDocument', () => {
  it('documents /metrics only when the app serves it (LLMQ_METRICS_ACCESS=port serves it elsewhere)', () => {
    const apart = new OpenAPIHono<ApiEnv>();
    expect(Object.keys(openApiDocument(apart).paths ?? {})).not.toContain('/metrics');
    const here = new OpenAPIHono<ApiEnv>();
    here.get('/metrics', (c) => c.text(''));
    expect(Object.keys(openApiDocument(here).paths ?? {})).toContain('/metrics');
  });

  it('keeps the other hand-written paths, so a route that went away fails the completeness test', () => {
    const paths = Object.keys(openApiDocument(new OpenAPIHono<ApiEnv>()).paths ?? {});
    expect(paths).toContain('/openai/v1/chat/completions');
    expect(paths).toContain('/docs');
  });
});
