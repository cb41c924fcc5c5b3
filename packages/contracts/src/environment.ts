import { z } from 'zod';
import { retentionSettingSchema } from './retention-policy.ts';

const integer = (fallback: number, minimum = 0) =>
  z.coerce.number().int().min(minimum).default(fallback);

/** Settings the api and the worker share; each app's env.ts extends these with its own. */
/** One model's limits: jobs at once and started per minute across every worker, and its timeout. */
export const modelLimitsSchema = z.strictObject({
  concurrency: z.int().min(1).optional(),
  rpm: z.int().min(1).optional(),
  timeout_ms: z.int().min(1_000).optional(),
});
export type ModelLimits = z.output<typeof modelLimitsSchema>;

/** USD per million tokens: what a model costs in real time and through its provider's batches. */
const pricePerMillion = z.number().min(0).max(100_000);
export const modelPricesSchema = z.strictObject({
  input: pricePerMillion,
  output: pricePerMillion,
  /** Input tokens the provider served from its prompt cache; `input` when absent. */
  cached_input: pricePerMillion.optional(),
  /** Reasoning tokens (billed among the output by OpenAI and Anthropic); `output` when absent. */
  reasoning: pricePerMillion.optional(),
  batch_input: pricePerMillion.optional(),
  batch_output: pricePerMillion.optional(),
});
export type ModelPrices = z.output<typeof modelPricesSchema>;

/** One MCP server: its streamable-HTTP endpoint, and headers to send (a token, say). */
const mcpServerSchema = z.strictObject({
  url: z.url({
    protocol: /^https?$/,
    error: 'must be the http(s) URL of the server’s streamable-HTTP endpoint',
  }),
  headers: z.record(z.string().min(1), z.string()).optional(),
});

const mcpServerNameRule =
  'an MCP server’s name (its tools’ source, mcp:<name>) is 1 to 64 letters, digits, dots, dashes or underscores';
const mcpServerNameSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, mcpServerNameRule);

/** A variable holding JSON, `{}` when unset, with an example in its error. */
function jsonText(example: string) {
  return z
    .string()
    .default('{}')
    .transform((text, context) => {
      try {
        return JSON.parse(text) as unknown;
      } catch {
        context.addIssue({ code: 'custom', message: `must be JSON, like ${example}` });
        return z.NEVER;
      }
    });
}

export const sharedEnvironmentSchema = z.object({
  LLMQ_DATA_DIR: z.string().min(1).default('./.llmq'),
  DATABASE_URL: z.string().min(1).optional(),
  REDIS_URL: z.string().min(1).default('redis://127.0.0.1:6379'),
  STORAGE_URL: z.string().min(1).optional(),
  LLMQ_PLUGINS: z
    .string()
    .default('@llmq/plugin-echo,@llmq/plugin-openai,@llmq/plugin-anthropic')
    .transform((value) =>
      value
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean),
    ),
  LLMQ_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+$/, 'letters, digits, dots, dashes and underscores only')
    .default('llmq'),
  LLMQ_JOB_ATTEMPTS: integer(5, 1),
  LLMQ_RETRY_BACKOFF_MS: integer(1_000),
  LLMQ_EVENT_TTL_SECONDS: integer(3_600, 1),
  LLMQ_CHUNK_COALESCE_MS: integer(5),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Per-model limits across the fleet, JSON: {"model or alias": {concurrency, rpm, timeout_ms}}. */
  LLMQ_MODEL_LIMITS: jsonText(
    '{"gpt-4o-mini":{"concurrency":8,"rpm":500,"timeout_ms":60000}}',
  ).pipe(z.record(z.string().min(1), modelLimitsSchema)),
  /**
   * Per model (id or alias), USD per million tokens, JSON:
   * {"gpt-4o-mini": {"input": 0.15, "output": 0.6, "batch_input": 0.075, "batch_output": 0.3}}.
   */
  LLMQ_MODEL_PRICES: jsonText(
    '{"gpt-4o-mini":{"input":0.15,"output":0.6,"batch_input":0.075,"batch_output":0.3}}',
  ).pipe(z.record(z.string().min(1), modelPricesSchema)),
  /**
   * MCP servers whose tools the workers run beside the plugins', JSON:
   * {"<name>": {"url": "http://…/mcp", "headers": {"authorization": "Bearer …"}}}.
   */
  LLMQ_MCP_SERVERS: jsonText(
    '{"github":{"url":"https://api.githubcopilot.com/mcp/","headers":{"authorization":"Bearer …"}}}',
  ).pipe(
    z.record(mcpServerNameSchema, mcpServerSchema, {
      error: (issue) => (issue.code === 'invalid_key' ? mcpServerNameRule : undefined),
    }),
  ),
  /** How long one attempt of a model may run before it is aborted and retried. */
  LLMQ_MODEL_TIMEOUT_MS: integer(600_000, 1_000),
  /**
   * The server's secret, sealing stored provider keys (AES-256-GCM): 32 random bytes as 64 hex
   * digits or base64, the same on the api and every worker. Unset in laptop mode, one is kept in
   * the data folder.
   */
  LLMQ_SECRET_KEY: z
    .string()
    .refine(isSecretKey, {
      message:
        'must be 32 random bytes as 64 hex digits or as base64: make one with `openssl rand -hex 32`',
    })
    .optional(),
  /** OpenTelemetry's own variables: traces are exported only when an endpoint is set. */
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url().optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  /** How long a provider batch (provider-mode batches) waits between looks at its status. */
  LLMQ_PROVIDER_BATCH_POLL_MS: integer(60_000, 10),
  /** At most this many requests per provider batch, below the provider's own limit; 0: none. */
  LLMQ_PROVIDER_BATCH_MAX_REQUESTS: integer(0),
  /**
   * Hosts URL attachments and webhooks may reach even at private addresses: host, host:port, IP
   * or CIDR, comma-separated.
   */
  LLMQ_URL_ALLOWLIST: z
    .string()
    .default('')
    .transform((value) =>
      value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean),
    ),
  /**
   * The key webhooks are signed with (Standard Webhooks: `whsec_` and base64 of 24 to 64 random
   * bytes), the same on the api and every worker. Unset, one is derived from LLMQ_SECRET_KEY (or
   * laptop mode's), else generated once and kept in PostgreSQL (`server_secrets`).
   */
  LLMQ_WEBHOOK_SECRET: z
    .string()
    .refine(isWebhookSecret, {
      message:
        'must be whsec_ followed by base64 of 24 to 64 random bytes: make one with `echo whsec_$(openssl rand -base64 32)`',
    })
    .optional(),
});

/** `whsec_` and standard base64 of 24 to 64 bytes. */
function isWebhookSecret(text: string): boolean {
  const match = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(text);
  if (!match) return false;
  const digits = match[1] as string;
  const bytes = (digits.replace(/=+$/, '').length * 3) >> 2;
  return bytes >= 24 && bytes <= 64;
}

/** 64 hex digits, or base64 (standard or url-safe) of exactly 32 bytes: 43 digits and a pad. */
function isSecretKey(text: string): boolean {
  return /^[0-9a-fA-F]{64}$/.test(text) || /^[A-Za-z0-9+/_-]{43}=?$/.test(text);
}

/** Where OTLP/HTTP traces go, from OpenTelemetry's variables; undefined turns tracing off. */
export function tracesEndpoint(environment: SharedEnvironment): string | undefined {
  if (environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) {
    return environment.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  }
  const base = environment.OTEL_EXPORTER_OTLP_ENDPOINT;
  return base ? `${base.replace(/\/+$/, '')}/v1/traces` : undefined;
}

export type SharedEnvironment = z.output<typeof sharedEnvironmentSchema>;

/** The settings of a worker, in its own process or inside the api (laptop mode). */
export const workerEnvironmentSchema = z.object({
  WORKER_CONCURRENCY: integer(20, 1),
  LLMQ_LOCK_DURATION_MS: integer(30_000, 1_000),
  LLMQ_STALLED_INTERVAL_MS: integer(30_000, 500),
  LLMQ_MAX_STALLED_COUNT: integer(3, 0),
  LLMQ_SHUTDOWN_GRACE_MS: integer(25_000),
  /** The fleet's reconciler: at most one pass per interval, across every worker process. */
  LLMQ_RECONCILE_INTERVAL_MS: integer(10_000, 100),
  /** How old a queued or running prompt must be before its missing job counts as lost. */
  LLMQ_RECONCILE_GRACE_MS: integer(30_000),
  /** How often an answer that does not match its prompt's schema is asked for again. */
  LLMQ_SCHEMA_RETRIES: integer(1),
  /** How long one tool call of a chain may run, unless the tool sets its own limit. */
  LLMQ_TOOL_TIMEOUT_MS: integer(60_000, 1),
  /** How many bytes one tool call may answer, unless the tool sets its own limit. */
  LLMQ_TOOL_MAX_OUTPUT_BYTES: integer(1_048_576, 1),
  /** How many attempts a model with fallbacks gets before the next one takes over. */
  LLMQ_FALLBACK_AFTER_ATTEMPTS: integer(2, 1),
  /** The longest a prompt held back by a spent budget or a full subject waits before it looks again. */
  LLMQ_LIMITS_RECHECK_MS: integer(30_000, 50),
  /** How often the fleet looks for ended prompts and batches whose webhook is due. */
  LLMQ_WEBHOOK_SCAN_MS: integer(1_000, 50),
  /** How many times a webhook delivery is attempted before it is marked failed. */
  LLMQ_WEBHOOK_MAX_ATTEMPTS: integer(8, 1),
  /** The wait before a webhook's second attempt; it doubles for each next one. */
  LLMQ_WEBHOOK_BACKOFF_MS: integer(1_000, 1),
  /** How long a webhook receiver has to answer one attempt. */
  LLMQ_WEBHOOK_TIMEOUT_MS: integer(10_000, 100),
  /** How long each kind of data is kept, JSON, like {"prompts":"30d"}; empty keeps everything. */
  LLMQ_RETENTION: retentionSettingSchema,
  /** How often the fleet applies retention and collects unreferenced blobs (one process at a time). */
  LLMQ_RETENTION_INTERVAL_MS: integer(3_600_000, 100),
  /** How long an attachment stored or linked lately is left alone by the blob collector. */
  LLMQ_BLOB_GRACE_MS: integer(3_600_000, 0),
});

/** A configuration problem, one line per bad variable, naming it and what it expects. */
export class EnvironmentError extends Error {
  override readonly name = 'EnvironmentError';
}

/** Parse an app's environment; fail fast with every bad variable named. */
export function parseEnvironment<Schema extends z.ZodType>(
  schema: Schema,
  source: Readonly<Record<string, string | undefined>>,
): z.output<Schema> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join('.') || '(environment)';
    // A secret's value never goes to a log, even a wrong one (it may be a real key mistyped).
    // LLMQ_MCP_SERVERS's headers carry tokens.
    const given = /SECRET|_KEYS?$|^LLMQ_MCP_SERVERS/.test(name) ? undefined : source[name];
    return `  ${name}: ${issue.message}${given === undefined ? '' : ` (got ${JSON.stringify(given)})`}`;
  });
  throw new EnvironmentError(`Invalid configuration:\n${lines.join('\n')}`);
}
