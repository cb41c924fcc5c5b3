import type { ModelPrices } from '@llmq/contracts';
import type { ModelRegistry } from '@llmq/core';
import type { Database } from '@llmq/db';
import type { BatchLog, EventLog } from '@llmq/queue';
import type { BlobStore } from '@llmq/storage';
import type { Logger } from 'pino';
import type { SubjectLimits } from '../limits/subject-limits.ts';
import type { ProviderKeys } from '../provider-keys/provider-keys.ts';
import type { SchemaStore } from '../schemas/schema-store.ts';
import type { ToolCatalogue } from '../tools/tool-catalogue.ts';
import type { ToolLimits } from '../tools/tool-limits.ts';
import type { AttemptStore } from './attempt-store.ts';
import type { JobObserver } from './job-observer.ts';

/** What a worker's prompt jobs run with: its database, stores, models and settings. */
export interface EngineDependencies {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly models: ModelRegistry;
  readonly events: EventLog;
  readonly logger: Logger;
  /** Chunks arriving within this many milliseconds are appended as one. */
  readonly coalesceMs: number;
  /** Claims and completions, batched across the worker's jobs (one per worker). */
  readonly attempts: AttemptStore;
  /** The stored schemas prompts run with, loaded and compiled once per worker. */
  readonly schemas: SchemaStore;
  /**
   * How many more attempts an answer that does not match its schema gets (LLMQ_SCHEMA_RETRIES,
   * default 1): a mismatch fails for good once the prompt has had this many before it.
   */
  readonly schemaRetries?: number | undefined;
  /** Where batch items' ends are recorded, for batch streams with `?items=true`. */
  readonly batchLog?: Pick<BatchLog, 'append'> | undefined;
  /** Told when attempts start, stream and end (metrics). */
  readonly observer?: JobObserver | undefined;
  /** How long an attempt of a model may run before it is aborted (and retried). */
  readonly timeoutMs?: ((model: string) => number) | undefined;
  /** Models' keys at use (environment, else stored); without it, the plugin's own key only. */
  readonly providerKeys?: Pick<ProviderKeys, 'keyFor'> | undefined;
  /** The tools chains run: the plugins' and the MCP servers'. */
  readonly tools: ToolCatalogue;
  /** How long a tool call may run and how much it may answer (LLMQ_TOOL_*). */
  readonly toolLimits?: ToolLimits | undefined;
  /** How many attempts a model gets before its fallback takes over (LLMQ_FALLBACK_AFTER_ATTEMPTS). */
  readonly fallbackAfterAttempts?: number | undefined;
  /** Counts answers' tokens per minute for the keys and owners that limit them. */
  readonly subjectLimits?: Pick<SubjectLimits, 'recordTokens' | 'allowedModelIds'> | undefined;
  /** Each priced model's prices by id (LLMQ_MODEL_PRICES): what each answer cost. */
  readonly prices?: ReadonlyMap<string, ModelPrices> | undefined;
}
