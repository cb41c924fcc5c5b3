import type { ModelPrices } from '@llmq/contracts';
import type { ModelRegistry } from '@llmq/core';
import type { Database } from '@llmq/db';
import type { BatchLog, EventLog } from '@llmq/queue';
import type { BlobStore } from '@llmq/storage';
import type { Logger } from 'pino';
import type { ProviderKeys } from '../provider-keys/provider-keys.ts';
import type { SchemaStore } from '../schemas/schema-store.ts';
import type { ProviderBatchQueue } from './provider-batch-queue.ts';

/** What submitting, polling and importing provider batches need. */
export interface ProviderBatchDependencies {
  readonly db: Database;
  readonly blobs: BlobStore;
  readonly models: ModelRegistry;
  readonly events: EventLog;
  readonly batchLog?: Pick<BatchLog, 'append'> | undefined;
  readonly providerKeys?: Pick<ProviderKeys, 'keyFor'> | undefined;
  readonly schemas: SchemaStore;
  readonly queue: ProviderBatchQueue;
  readonly logger: Logger;
  /** At most this many requests per provider batch, below the provider's own limit. */
  readonly maxRequests?: number | undefined;
  /** Each priced model's prices by id (LLMQ_MODEL_PRICES): answers cost their batch prices. */
  readonly prices?: ReadonlyMap<string, ModelPrices> | undefined;
}
