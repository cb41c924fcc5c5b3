import { runWatchingResolutions } from '@llmq/testing';
import { describe, expect, it } from 'vitest';

describe('startTracing', () => {
  it('loads the OpenTelemetry SDK and exporter only when tracing starts', () => {
    // Importing the package loads the API alone, starting tracing loads the rest.
    const output = runWatchingResolutions(
      /^(@opentelemetry\/|bullmq-otel)/,
      `
      const { startTracing } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      console.log(JSON.stringify([...resolved].sort()));
      const tracing = await startTracing({ serviceName: 'test', endpoint: 'http://127.0.0.1:9/v1/traces' });
      console.log(JSON.stringify([...resolved].sort()));
      await tracing.shutdown();`,
    );
    const [onImport, onStart] = output
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as string[]);
    expect(onImport).toEqual(['@opentelemetry/api']);
    expect(onStart).toEqual(
      expect.arrayContaining([
        '@opentelemetry/context-async-hooks',
        '@opentelemetry/exporter-trace-otlp-http',
        '@opentelemetry/sdk-trace',
        'bullmq-otel',
      ]),
    );
  });
});
