import { context, propagation, type Tracer, trace } from '@opentelemetry/api';
import type { Telemetry } from 'bullmq';

export interface TracingOptions {
  /** `service.name` of every span (`llmq-api`, `llmq-worker`). */
  readonly serviceName: string;
  /** Where spans go: an OTLP/HTTP traces endpoint, e.g. http://collector:4318/v1/traces. */
  readonly endpoint: string;
  /** How long spans wait to be sent together. */
  readonly exportDelayMs?: number;
}

export interface Tracing {
  readonly tracer: Tracer;
  /** BullMQ's telemetry: give it to the queue and the worker so jobs carry the trace. */
  readonly telemetry: Telemetry;
  /** Send every finished span now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/**
 * Turn tracing on for this process: spans are exported over OTLP/HTTP (JSON), the trace
 * context follows async calls (AsyncLocalStorage) and crosses processes in W3C `traceparent`
 * headers and in BullMQ job data. Without a call to this, OpenTelemetry stays a no-op, and
 * its SDK and exporter are never loaded (some 4 MB of heap in every process, which each full
 * collection marks again).
 */
export async function startTracing(options: TracingOptions): Promise<Tracing> {
  const [
    { AsyncLocalStorageContextManager },
    { W3CTraceContextPropagator },
    { OTLPTraceExporter },
    { resourceFromAttributes },
    { BatchSpanProcessor, TracerProvider },
    { BullMQOtel },
  ] = await Promise.all([
    import('@opentelemetry/context-async-hooks'),
    import('@opentelemetry/core'),
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
    import('bullmq-otel'),
  ]);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': options.serviceName }),
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: new OTLPTraceExporter({ url: options.endpoint }),
        scheduledDelayMillis: options.exportDelayMs ?? 1_000,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  return {
    tracer: trace.getTracer('llmq'),
    telemetry: new BullMQOtel({ tracerName: 'llmq-queue' }) as unknown as Telemetry,
    flush: () => provider.forceFlush(),
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
}
