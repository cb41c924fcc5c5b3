import { type DestinationStream, type Logger, pino } from 'pino';

/** Keys and tokens never reach the logs, wherever they appear in a logged object. */
export const redactedPaths = [
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'key',
  '*.key',
  'apiKey',
  '*.apiKey',
  'token',
  '*.token',
  'LLMQ_API_KEYS',
  '*.LLMQ_API_KEYS',
];

/** A pino logger named after its process (`llmq-api`, `llmq-worker`) that redacts secrets. */
export function createLogger(name: string, level: string, destination?: DestinationStream): Logger {
  const options = {
    name,
    level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
