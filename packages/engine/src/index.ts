export {
  cancelBatch,
  getBatchState,
  retryBatch,
} from './batches/batch-operations.ts';
export { type BatchState, batchState, deriveStatus } from './batches/batch-state.ts';
export {
  PromptCancelledError,
  PromptTimeoutError,
  WorkerShutdownError,
} from './failures/abort-reasons.ts';
export { AttemptFailedError } from './failures/attempt-failed-error.ts';
export { type BackingService, jobOutageOf } from './failures/job-outage.ts';
export {
  AttachmentNotFoundError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  type ResourceKind,
} from './failures/service-errors.ts';
export { OutageReporter } from './failures/service-outage.ts';
export { unavailableService } from './failures/unavailable-service.ts';
export { createApiKey } from './keys/create-api-key.ts';
export { revokeApiKey } from './keys/revoke-api-key.ts';
export { cancelPromptJob } from './prompts/cancel-prompt-job.ts';
export { finalEventOf } from './prompts/final-event.ts';
export { waitForPrompt } from './prompts/wait-for-prompt.ts';
export {
  lostJobKind,
  type ReconcileDependencies,
  type ReconcileReport,
  reconcilePrompts,
} from './reconcile/reconcile-prompts.ts';
export {
  type Reconciler,
  type ReconcilerOptions,
  startReconciler,
} from './reconcile/reconciler.ts';
export { type AttemptStore, createAttemptStore } from './run/attempt-store.ts';
export type { AttemptOutcome, JobObserver } from './run/job-observer.ts';
export { describeMessages, loadPromptInput, type PromptInput } from './run/load-prompt-input.ts';
export { MicroBatcher } from './run/micro-batcher.ts';
export {
  applyModelLimits,
  ModelLimitsError,
  type ResolvedModelLimits,
  resolveModelLimits,
} from './run/model-limits.ts';
export {
  type PromptWorker,
  type PromptWorkerOptions,
  startPromptWorker,
  type WorkerDependencies,
} from './run/prompt-worker.ts';
export {
  type EngineDependencies,
  type PromptRun,
  type PromptRunOutcome,
  runPromptJob,
} from './run/run-prompt-job.ts';
export { migrateDatabase } from './services/migrate-database.ts';
export {
  openServices,
  promptServicesOf,
  RedisUnavailableError,
  type Services,
  type ServicesConfig,
} from './services/open-services.ts';
export type { PromptLimits, PromptServices } from './services/prompt-services.ts';
export {
  BlockedAddressError,
  createPublicFetch,
  type HostLookup,
  type PublicFetchOptions,
  UnreachableUrlError,
} from './services/public-fetch.ts';
export { type ProcessPart, servicesConfigOf } from './services/services-config-of.ts';
export {
  type WorkerEnvironment,
  type WorkerOptions,
  type WorkerProcessPart,
  workerOptionsOf,
} from './services/worker-options-of.ts';
export {
  type InlineAttachment,
  readInlineAttachment,
  storeInlineAttachment,
} from './submit/inline-attachment.ts';
export { recordFile } from './submit/record-file.ts';
export {
  type ResolvedAttachment,
  type ResolveOptions,
  resolveAttachments,
} from './submit/resolve-attachments.ts';
export {
  recordUpload,
  type StagedUpload,
  type StoredUpload,
  stageUploadBytes,
  storeUpload,
  storeUploadBytes,
  type UploadedBytes,
} from './submit/store-upload.ts';
export {
  BatchItemsError,
  enqueueBatch,
  type ItemProblem,
  type SubmitBatchInput,
  type SubmittedBatch,
  submitBatch,
} from './submit/submit-batch.ts';
export { type SubmitChatInput, submitChat } from './submit/submit-chat.ts';
export {
  type ChatTurn,
  conversationName,
  type SubmitPromptInput,
  type SubmittedPrompt,
  submitPrompt,
} from './submit/submit-prompt.ts';
