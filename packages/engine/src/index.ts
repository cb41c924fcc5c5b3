export { PromptCancelledError, PromptTimeoutError, WorkerShutdownError } from './abort-reasons.ts';
export { AttemptFailedError } from './attempt-failed-error.ts';
export { type AttemptStore, createAttemptStore } from './attempt-store.ts';
export {
  cancelBatch,
  getBatchState,
  retryBatch,
} from './batch-operations.ts';
export { type BatchState, batchState, deriveStatus } from './batch-state.ts';
export { cancelPromptJob } from './cancel-prompt-job.ts';
export { createApiKey } from './create-api-key.ts';
export { finalEventOf } from './final-event.ts';
export {
  type InlineAttachment,
  readInlineAttachment,
  storeInlineAttachment,
} from './inline-attachment.ts';
export type { AttemptOutcome, JobObserver } from './job-observer.ts';
export { type BackingService, jobOutageOf } from './job-outage.ts';
export { describeMessages, loadPromptInput, type PromptInput } from './load-prompt-input.ts';
export { MicroBatcher } from './micro-batcher.ts';
export { migrateDatabase } from './migrate-database.ts';
export {
  applyModelLimits,
  ModelLimitsError,
  type ResolvedModelLimits,
  resolveModelLimits,
} from './model-limits.ts';
export {
  openServices,
  promptServicesOf,
  RedisUnavailableError,
  type Services,
  type ServicesConfig,
} from './open-services.ts';
export type { PromptLimits, PromptServices } from './prompt-services.ts';
export {
  type PromptWorker,
  type PromptWorkerOptions,
  startPromptWorker,
  type WorkerDependencies,
} from './prompt-worker.ts';
export {
  BlockedAddressError,
  createPublicFetch,
  type HostLookup,
  type PublicFetchOptions,
  UnreachableUrlError,
} from './public-fetch.ts';
export {
  lostJobKind,
  type ReconcileDependencies,
  type ReconcileReport,
  reconcilePrompts,
} from './reconcile-prompts.ts';
export { type Reconciler, type ReconcilerOptions, startReconciler } from './reconciler.ts';
export { recordFile } from './record-file.ts';
export {
  type ResolvedAttachment,
  type ResolveOptions,
  resolveAttachments,
} from './resolve-attachments.ts';
export { revokeApiKey } from './revoke-api-key.ts';
export {
  type EngineDependencies,
  type PromptRun,
  type PromptRunOutcome,
  runPromptJob,
} from './run-prompt-job.ts';
export {
  AttachmentNotFoundError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  type ResourceKind,
} from './service-errors.ts';
export { OutageReporter } from './service-outage.ts';
export { type ProcessPart, servicesConfigOf } from './services-config-of.ts';
export {
  recordUpload,
  type StagedUpload,
  type StoredUpload,
  stageUploadBytes,
  storeUpload,
  storeUploadBytes,
  type UploadedBytes,
} from './store-upload.ts';
export {
  BatchItemsError,
  enqueueBatch,
  type ItemProblem,
  type SubmitBatchInput,
  type SubmittedBatch,
  submitBatch,
} from './submit-batch.ts';
export { type SubmitChatInput, submitChat } from './submit-chat.ts';
export {
  type ChatTurn,
  conversationName,
  type SubmitPromptInput,
  type SubmittedPrompt,
  submitPrompt,
} from './submit-prompt.ts';
export { unavailableService } from './unavailable-service.ts';
export { waitForPrompt } from './wait-for-prompt.ts';
export {
  type WorkerEnvironment,
  type WorkerOptions,
  type WorkerProcessPart,
  workerOptionsOf,
} from './worker-options-of.ts';
