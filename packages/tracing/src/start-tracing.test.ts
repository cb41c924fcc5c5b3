import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('startTracing', () => {
  it('loads the OpenTelemetry SDK and exporter only when tracing starts', () => {
    // A process that lists every OpenTelemetry module resolved: importing the package loads
    // the API alone, starting tracing loads the rest.
    const script = `
      import { registerHooks } from 'node:module';
      const resolved = new Set();
      registerHooks({
        resolve(specifier, context, next) {
          if (/^(@opentelemetry\\/|bullmq-otel)/.test(specifier)) resolved.add(specifier);
          return next(specifier, context);
        },
      });
      const { startTracing } = await import(${JSON.stringify(new URL('./index.ts', import.meta.url).href)});
      console.log(JSON.stringify([...resolved].sort()));
      const tracing = await startTracing({ serviceName: 'test', endpoint: 'http://127.0.0.1:9/v1/traces' });
      console.log(JSON.stringify([...resolved].sort()));
      await tracing.shutdown();`;
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 15_000,
    });
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
