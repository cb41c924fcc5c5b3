import { fileURLToPath } from 'node:url';
import {
  parseEnvironment,
  sharedEnvironmentSchema,
  workerEnvironmentSchema,
} from '@llmq/contracts';
import { z } from 'zod';

const integer = (fallback: number, minimum = 0, maximum = Number.MAX_SAFE_INTEGER) =>
  z.coerce.number().int().min(minimum).max(maximum).default(fallback);

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  );

const schema = sharedEnvironmentSchema.extend(workerEnvironmentSchema.shape).extend({
  PORT: integer(3000, 0, 65_535),
  /** Logs as JSON lines (`json`), pino-pretty's (`pretty`), or `auto`: pretty on a terminal. */
  LLMQ_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  HOST: z.string().min(1).default('127.0.0.1'),
  /**
   * The model of prompts and batches that name none, an id or alias checked against the loaded
   * models at start; unset, `echo` (when its plugin is loaded).
   */
  LLMQ_DEFAULT_MODEL: z.string().min(1).optional(),
  /** Run a worker inside the api: `auto` does when there is no DATABASE_URL (laptop mode). */
  LLMQ_EMBEDDED_WORKER: z.enum(['auto', 'true', 'false']).default('auto'),
  /** A private redis-server under the data dir: when none answers at the default URL, or always. */
  LLMQ_PRIVATE_REDIS: z.enum(['auto', 'always', 'false']).default('auto'),
  LLMQ_MAX_ATTACHMENT_BYTES: integer(256 * 1024 * 1024, 1),
  LLMQ_MAX_INLINE_ATTACHMENT_BYTES: integer(1024 * 1024, 1),
  LLMQ_MAX_JSON_BYTES: integer(4 * 1024 * 1024, 1024),
  LLMQ_MAX_CHAT_JSON_BYTES: integer(32 * 1024 * 1024, 1024),
  LLMQ_MAX_BATCH_ITEMS: integer(100_000, 1),
  LLMQ_MAX_BATCH_FILE_BYTES: integer(512 * 1024 * 1024, 1024),
  LLMQ_URL_FETCH_TIMEOUT_MS: integer(30_000, 100),
  LLMQ_SSE_KEEPALIVE_MS: integer(15_000, 100),
  /** On SIGTERM, how long in-flight requests may take to finish before they are cut. */
  LLMQ_HTTP_DRAIN_MS: integer(10_000, 0),
  LLMQ_WAIT_SECONDS: integer(60, 1, 600),
  LLMQ_MAX_ATTACHMENTS_PER_PROMPT: integer(50, 1),
  LLMQ_MAX_PROMPT_CHARS: integer(500_000, 1),
  /** Admin keys, comma-separated: they create, list and revoke owner keys. */
  LLMQ_API_KEYS: list,
  LLMQ_STREAM_TOKEN_SECRET: z.string().min(16).optional(),
  LLMQ_STREAM_TOKEN_TTL_SECONDS: integer(600, 10),
  /**
   * Who may read the api's `/metrics`: `admin` (an admin key, once keys exist), `public` (no
   * key), or `port` (not on the api's port, on LLMQ_METRICS_HOST:LLMQ_METRICS_PORT without a key).
   */
  LLMQ_METRICS_ACCESS: z.enum(['admin', 'public', 'port']).default('admin'),
  LLMQ_METRICS_PORT: integer(9464, 0, 65_535),
  LLMQ_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  /** The web console's built files (apps/web's `pnpm build` output), served at /. */
  LLMQ_WEB_DIR: z
    .string()
    .min(1)
    .default(fileURLToPath(new URL('../../web/dist', import.meta.url))),
});

export type ApiEnvironment = z.output<typeof schema> & {
  /** Whether REDIS_URL was set, rather than defaulted. */
  readonly redisUrlGiven: boolean;
  /**
   * Whether LLMQ_QUEUE_PREFIX was set: unset, laptop mode takes a prefix of the data folder's own
   * instead of the default (queue-prefix.ts).
   */
  readonly queuePrefixGiven: boolean;
};

/** The api's configuration, parsed once at start; a bad variable stops it with its name. */
export function readEnvironment(): ApiEnvironment {
  return {
    ...parseEnvironment(schema, process.env),
    redisUrlGiven: Boolean(process.env.REDIS_URL),
    queuePrefixGiven: Boolean(process.env.LLMQ_QUEUE_PREFIX),
  };
}

/** What plugins read their settings (keys, base URLs, model lists) from. */
export function pluginSettings(): Readonly<Record<string, string | undefined>> {
  return { ...process.env };
}
