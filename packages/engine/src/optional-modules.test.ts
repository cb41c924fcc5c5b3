import { runWatchingResolutions } from '@llmq/testing';
import { describe, expect, it } from 'vitest';

describe('the engine and what it leaves unloaded', () => {
  it('loads neither undici, the AWS SDK nor the OpenTelemetry SDK until they are used', () => {
    // Every process of llmq imports the engine; these are loaded where they are used (a URL
    // fetched or a webhook sent, an s3:// store, tracing started), so a process that uses none
    // of them does not carry them through every full collection.
    const output = runWatchingResolutions(
      /^(undici$|@aws-sdk\/|@opentelemetry\/(?!api$)|bullmq-otel)/,
      `
      const engine = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      const before = [...resolved];
      // The fetch made for URL attachments loads undici at its first call.
      await engine
        .createPublicFetch({ allowlist: ['127.0.0.1'] })('http://127.0.0.1:9/', { signal: AbortSignal.timeout(5000) })
        .catch(() => undefined);
      console.log(JSON.stringify({ before, after: [...resolved] }));`,
    );
    const { before, after } = JSON.parse(output.trim().split('\n').at(-1) ?? '{}') as {
      before: string[];
      after: string[];
    };
    expect(before).toEqual([]);
    expect(after).toEqual(['undici']);
  });
});
