export {
  EnvironmentError,
  parseEnvironment,
  type SharedEnvironment,
  sharedEnvironmentSchema,
  workerEnvironmentSchema,
} from './environment.ts';
export { type PromptJob, promptJobSchema } from './job-payloads.ts';
export {
  chunkEventSchema,
  doneEventSchema,
  type ErrorInfo,
  errorEventSchema,
  errorInfoSchema,
  isFinalEvent,
  type PromptEvent,
  type PromptEventType,
  promptEventSchema,
  restartEventSchema,
  statusEventSchema,
  type UsageBody,
  usageSchema,
} from './prompt-events.ts';
