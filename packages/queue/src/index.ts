export { retryDelay } from './backoff.ts';
export { BatchLog, type BatchLogEntry } from './batch-log.ts';
export { ControlChannel, type ControlMessage, controlMessageSchema } from './control-channel.ts';
export { compareEntryIds, isEntryId } from './entry-id.ts';
export { EventLog, type EventLogOptions, type LogEntry } from './event-log.ts';
export { EventLogLostError, EventLogSupersededError } from './event-log-errors.ts';
export { EventWriter } from './event-writer.ts';
export { FleetTurns, type FleetTurnsOptions } from './fleet-turns.ts';
export {
  backoffType,
  type JobPresence,
  type ModelQueueLimits,
  type PromptPriority,
  PromptQueue,
  type PromptQueueOptions,
  promptJobName,
  promptQueueName,
} from './prompt-queue.ts';
export {
  createRedisConnection,
  describeRedisUrl,
  parseRedisUrl,
  RedisConfigError,
  type RedisConnectionOptions,
} from './redis-connection.ts';
