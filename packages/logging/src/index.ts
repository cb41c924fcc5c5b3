export { type LogFormat, type LogFormatSetting, logFormatOf } from './log-format.ts';
export { createLogger, redactedPaths } from './logger.ts';
export { prettyDestination, type TextOutput } from './pretty-destination.ts';
export {
  createProcessLogger,
  type ProcessLogger,
  type ProcessLoggerOptions,
} from './process-logger.ts';
