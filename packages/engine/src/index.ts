export { type BatchCost, batchCost } from './batches/batch-cost.ts';
export { cancelBatch, getBatchState, retryBatch } from './batches/batch-operations.ts';
export { type BatchState, batchState } from './batches/batch-state.ts';
export { ModelPricesError } from './batches/model-prices.ts';
export {
  PromptCancelledError,
  PromptTimeoutError,
  WorkerShutdownError,
} from './failures/abort-reasons.ts';
export { AttemptFailedError } from './failures/attempt-failed-error.ts';
export {
  AttachmentNotFoundError,
  ConflictError,
  InvalidRequestError,
  NotFoundError,
  PayloadTooLargeError,
  type ResourceKind,
} from './failures/service-errors.ts';
export { unavailableService } from './failures/unavailable-service.ts';
export { createApiKey } from './keys/create-api-key.ts';
export { limitsChanged } from './keys/limits-changed.ts';
export { deleteOwnerLimits, requireOwner, setOwnerLimits } from './keys/owner-limits.ts';
export { revokeApiKey } from './keys/revoke-api-key.ts';
export { updateApiKey } from './keys/update-api-key.ts';
export { periodOf } from './limits/budget-period.ts';
export {
  BudgetExceededError,
  LimitExceededError,
  ModelNotAllowedError,
} from './limits/limit-errors.ts';
export { SubjectLimits } from './limits/subject-limits.ts';
export { cancelPromptJob } from './prompts/cancel-prompt-job.ts';
export { deletePromptJob } from './prompts/delete-prompt-job.ts';
export { finalEventOf } from './prompts/final-event.ts';
export { storedChainEvents } from './prompts/stored-chain-events.ts';
export { waitForPrompt } from './prompts/wait-for-prompt.ts';
export { ProviderBatchQueue } from './provider-batches/provider-batch-queue.ts';
export {
  ModelUnavailableError,
  SecretKeyMissingError,
  unavailableReason,
} from './provider-keys/provider-key-errors.ts';
export { type ModelAvailability, ProviderKeys } from './provider-keys/provider-keys.ts';
export { ProviderKeyUnreadableError, SecretBox } from './provider-keys/secret-box.ts';
export {
  laptopSecretKey,
  SecretKeyFileError,
  secretKeyFileName,
} from './provider-keys/secret-key.ts';
export { reconcilePrompts } from './reconcile/reconcile-prompts.ts';
export { type Reconciler, startReconciler } from './reconcile/reconciler.ts';
export { type BlobCollection, collectBlobs } from './retention/blob-collector.ts';
export { deleteBatch } from './retention/delete-batch.ts';
export { deleteConversation } from './retention/delete-conversation.ts';
export { deleteFacadeFile } from './retention/delete-facade-file.ts';
export { deleteStoredPrompt } from './retention/delete-stored-prompt.ts';
export { releaseOwnedAttachment } from './retention/release-attachment.ts';
export {
  type RetentionJob,
  type RetentionJobOptions,
  startRetentionJob,
} from './retention/retention-job.ts';
export { retentionOptionsOf } from './retention/retention-options-of.ts';
export {
  type RetentionPassOptions,
  type RetentionReport,
  type RetentionServices,
  runRetentionPass,
} from './retention/retention-pass.ts';
export type { AttemptOutcome, JobObserver } from './run/job-observer.ts';
export { ModelLimitsError } from './run/model-limits.ts';
export {
  type PromptWorker,
  startPromptWorker,
  type WorkerDependencies,
} from './run/prompt-worker.ts';
export { InvalidSchemaError, UnknownSchemaError } from './schemas/schema-errors.ts';
export { FallbackModelError } from './services/check-fallbacks.ts';
export { DefaultModelError } from './services/default-model.ts';
export { migrateDatabase } from './services/migrate-database.ts';
export {
  openServices,
  promptServicesOf,
  RedisUnavailableError,
  type Services,
} from './services/open-services.ts';
export type { PromptServices } from './services/prompt-services.ts';
export {
  BlockedAddressError,
  createPublicFetch,
  UnreachableUrlError,
} from './services/public-fetch.ts';
export { servicesConfigOf } from './services/services-config-of.ts';
export { workerOptionsOf } from './services/worker-options-of.ts';
export { type InlineAttachment, readInlineAttachment } from './submit/inline-attachment.ts';
export { recordFile } from './submit/record-file.ts';
export { resolveAttachments } from './submit/resolve-attachments.ts';
export {
  recordUpload,
  type StagedUpload,
  stageUploadBytes,
  storeUpload,
} from './submit/store-upload.ts';
export {
  BatchItemsError,
  enqueueBatch,
  type SubmitBatchInput,
  submitBatch,
} from './submit/submit-batch.ts';
export { submitChat } from './submit/submit-chat.ts';
export { type ChatTurn, type SubmitPromptInput, submitPrompt } from './submit/submit-prompt.ts';
export { McpServerUnreachableError, McpToolError } from './tools/mcp-errors.ts';
export type { McpServerConfig } from './tools/mcp-tool-source.ts';
export { type CatalogueEntry, ToolCatalogue } from './tools/tool-catalogue.ts';
export { ChainLimitError, InvalidToolResultsError } from './tools/tool-errors.ts';
export { retryWebhookDelivery } from './webhooks/retry-webhook-delivery.ts';
export { WebhookSigner } from './webhooks/webhook-signer.ts';
export {
  type CheckedWebhookUrl,
  checkWebhookUrl,
  WebhookUrlError,
  type WebhookUrlRules,
  webhookUrlOf,
} from './webhooks/webhook-url.ts';
export { WebhookAttemptError } from './webhooks/webhook-worker.ts';
export { startWebhooks, type Webhooks, type WebhooksOptions } from './webhooks/webhooks.ts';
export { webhooksOptionsOf } from './webhooks/webhooks-options-of.ts';
