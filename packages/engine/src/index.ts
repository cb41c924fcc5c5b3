export { PromptCancelledError, PromptTimeoutError, WorkerShutdownError } from './abort-reasons.ts';
export { classifyError, type ErrorClass } from './classify-error.ts';
export { describeMessages, loadPromptInput, type PromptInput } from './load-prompt-input.ts';
export {
  openServices,
  RedisUnavailableError,
  type Services,
  type ServicesConfig,
} from './open-services.ts';
export { type PromptWorker, type PromptWorkerOptions, startPromptWorker } from './prompt-worker.ts';
export {
  type EngineDependencies,
  FinalJobError,
  type PromptRun,
  type PromptRunOutcome,
  RetryableJobError,
  runPromptJob,
} from './run-prompt-job.ts';
