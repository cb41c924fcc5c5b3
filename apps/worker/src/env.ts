import {
  parseEnvironment,
  sharedEnvironmentSchema,
  workerEnvironmentSchema,
} from '@llmq/contracts';
import { z } from 'zod';

const schema = sharedEnvironmentSchema.extend(workerEnvironmentSchema.shape).extend({
  /** Logs as JSON lines (`json`), pino-pretty's (`pretty`), or `auto`: pretty on a terminal. */
  LLMQ_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  /** The worker's own /metrics and /healthz; 0 picks a free port. */
  LLMQ_METRICS_PORT: z.coerce.number().int().min(0).max(65_535).default(9464),
  LLMQ_METRICS_HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: z
    .string({
      error:
        'is required for a separate worker process: set it to postgres://… (PGlite lives in one process, so laptop mode runs the worker inside the api: npm start)',
    })
    .min(1),
});

export type WorkerEnvironment = z.output<typeof schema>;

/** The worker's configuration, parsed once at start; a bad variable stops it with its name. */
export function readEnvironment(): WorkerEnvironment {
  return parseEnvironment(schema, process.env);
}

/** What plugins read their settings (keys, base URLs, model lists) from. */
export function pluginSettings(): Readonly<Record<string, string | undefined>> {
  return { ...process.env };
}
