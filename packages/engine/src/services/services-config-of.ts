import type { SharedEnvironment } from '@llmq/contracts';
import type { ServicesConfig } from './open-services.ts';

/** What the environment does not say: which process this is, and what it brings. */
export type ProcessPart = Pick<
  ServicesConfig,
  'role' | 'logger' | 'pluginSettings' | 'importPlugin' | 'telemetry' | 'failFast'
>;

/**
 * The services config of a parsed environment, written once for the api, the worker and the
 * test harness. A process that decides its Redis or queue prefix itself (the api in laptop mode)
 * passes its environment with REDIS_URL and LLMQ_QUEUE_PREFIX as it decided them.
 */
export function servicesConfigOf(
  environment: SharedEnvironment & { readonly LLMQ_DEFAULT_MODEL?: string | undefined },
  process: ProcessPart,
): ServicesConfig {
  return {
    dataDir: environment.LLMQ_DATA_DIR,
    databaseUrl: environment.DATABASE_URL,
    storageUrl: environment.STORAGE_URL,
    redisUrl: environment.REDIS_URL,
    prefix: environment.LLMQ_QUEUE_PREFIX,
    plugins: environment.LLMQ_PLUGINS,
    jobAttempts: environment.LLMQ_JOB_ATTEMPTS,
    retryBackoffMs: environment.LLMQ_RETRY_BACKOFF_MS,
    eventTtlSeconds: environment.LLMQ_EVENT_TTL_SECONDS,
    modelLimits: environment.LLMQ_MODEL_LIMITS,
    modelPrices: environment.LLMQ_MODEL_PRICES,
    modelTimeoutMs: environment.LLMQ_MODEL_TIMEOUT_MS,
    secretKey: environment.LLMQ_SECRET_KEY,
    defaultModel: environment.LLMQ_DEFAULT_MODEL,
    mcpServers: Object.entries(environment.LLMQ_MCP_SERVERS).map(([name, server]) => ({
      name,
      ...server,
    })),
    providerBatchPollMs: environment.LLMQ_PROVIDER_BATCH_POLL_MS,
    webhookSecret: environment.LLMQ_WEBHOOK_SECRET,
    urlAllowlist: environment.LLMQ_URL_ALLOWLIST,
    ...process,
  };
}
