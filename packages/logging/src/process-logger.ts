import type { Logger } from 'pino';
import { isColorSupported } from 'pino-pretty';
import { type LogFormat, type LogFormatSetting, logFormatOf } from './log-format.ts';
import { createLogger } from './logger.ts';
import { prettyDestination, type TextOutput } from './pretty-destination.ts';

export interface ProcessLoggerOptions {
  /** The process's name on every line: `llmq-api`, `llmq-worker`. */
  readonly name: string;
  readonly level: string;
  /** LLMQ_LOG_FORMAT. */
  readonly format: LogFormatSetting;
  /** Where the lines go: the process's stdout unless a test gives its own. */
  readonly output?: TextOutput & { readonly isTTY?: boolean };
}

export interface ProcessLogger {
  readonly logger: Logger;
  /** The format chosen, so a process can print a banner for a person instead of a JSON line. */
  readonly format: LogFormat;
}

/**
 * The logger of an llmq process, the same for every app: readable lines on a terminal (a
 * request's as one short line), JSON lines for a collector, keys and tokens redacted either way.
 */
export function createProcessLogger(options: ProcessLoggerOptions): ProcessLogger {
  const output = options.output ?? process.stdout;
  const format = logFormatOf(options.format, output.isTTY === true);
  if (format === 'json' && options.output === undefined) {
    // pino's own stdout destination: faster than writing through the stream.
    return { logger: createLogger(options.name, options.level), format };
  }
  const destination =
    format === 'pretty'
      ? // Colours as pino-pretty judges stdout (a terminal, NO_COLOR, FORCE_COLOR); none elsewhere.
        prettyDestination(output, options.output === undefined && isColorSupported)
      : { write: (line: string) => void output.write(line) };
  return { logger: createLogger(options.name, options.level, destination), format };
}
