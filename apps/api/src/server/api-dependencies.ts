import type { Database, DatabaseHandle } from '@llmq/db/reads';
import type { PromptServices } from '@llmq/engine';
import type { LlmqMetrics } from '@llmq/metrics';
import type { Tracer } from '@opentelemetry/api';
import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { Authenticator } from '../auth/authenticator.ts';

export interface ApiSettings {
  /** Largest JSON request body. */
  readonly maxJsonBytes: number;
  /** Largest Chat Completions body of the OpenAI facade (images come inline, as data: URLs). */
  readonly maxChatJsonBytes: number;
  /** Idle SSE streams get a keep-alive comment this often. */
  readonly keepAliveMs: number;
  /** How long `?wait=true` waits by default. */
  readonly waitSeconds: number;
  /** Largest batch body (JSON or JSONL file). */
  readonly maxBatchFileBytes: number;
  /** Who may read `/metrics` on the api's port (LLMQ_METRICS_ACCESS; default `admin`). */
  readonly metricsAccess?: MetricsAccess | undefined;
}

/**
 * `admin`: `/metrics` takes an admin key once keys exist; `public`: it takes none (a Prometheus
 * on a private network); `port`: the api's port has none, a port of its own serves it.
 */
export type MetricsAccess = 'admin' | 'public' | 'port';

export interface ApiAuth {
  readonly authenticator: Authenticator;
  /** Signs stream tokens; every api process of a deployment must share it. */
  readonly tokenSecret: Buffer;
  readonly tokenTtlSeconds: number;
}

/** What the HTTP layer is given by its composition root. */
export interface ApiDependencies {
  readonly auth: ApiAuth;
  readonly services: PromptServices;
  readonly database: DatabaseHandle;
  /** The Redis connections readiness checks: the queue's and the logs'. */
  readonly redis: readonly Redis[];
  readonly settings: ApiSettings;
  readonly logger: Logger;
  /** This process's metrics, served at /metrics. */
  readonly metrics: LlmqMetrics;
  /** When traces are on (OTEL_EXPORTER_OTLP_…), each request gets a server span. */
  readonly tracer?: Tracer | undefined;
  /** Whether the process is shutting down: `/readyz` then answers 503. */
  readonly draining?: (() => boolean) | undefined;
}

export type { Database };
