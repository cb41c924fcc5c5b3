/** How logs are written: JSON lines for collectors, or pino-pretty's lines for a person. */
export type LogFormat = 'json' | 'pretty';

/** LLMQ_LOG_FORMAT: `auto` follows where the output goes. */
export type LogFormatSetting = 'auto' | LogFormat;

/**
 * A terminal gets readable lines; anything else (a pipe, a file, a container's log collector)
 * gets JSON lines, which those parse. An explicit setting wins either way.
 */
export function logFormatOf(setting: LogFormatSetting, terminal: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return terminal ? 'pretty' : 'json';
}
