export {
  type ApiKeySettings,
  createApiKey,
  type NewApiKey,
  revokeApiKey,
  updateApiKey,
} from './api-keys.ts';
export { grantAttachments } from './attachment-access.ts';
export { touchAttachment, touchAttachments, upsertAttachment } from './attachment-rows.ts';
export {
  type BatchStatusChange,
  batchesStillValidating,
  cancelQueuedBatchItems,
  createBatch,
  type NewBatch,
  setBatchStatus,
} from './batch-queries.ts';
export { collectAttachment, collectableAttachmentIds } from './blob-collection.ts';
export { cancelPrompt } from './cancel-prompt.ts';
export {
  type ChainAttempt,
  type ChainStepRow,
  chainStepsOf,
  createChainStep,
  endUnfinishedSteps,
  type NewToolResult,
  type StepAnswer,
  storeStepAnswer,
  storeToolResult,
  succeedChain,
  toolResultsOf,
} from './chain-steps.ts';
export {
  createQueuedPrompt,
  isUniqueViolation,
  type NewAttachment,
  type QueuedPromptInput,
  type QueuedPromptResult,
} from './create-queued-prompt.ts';
export {
  type CreateDatabaseOptions,
  createDatabase,
  isConnectionError,
  type Transaction,
} from './database.ts';
export {
  DatabaseConfigError,
  DatabaseUnavailableError,
  isDatabaseQueryError,
  violatedCheck,
} from './database-errors.ts';
export { type ConversationDeletion, deleteEndedConversation } from './delete-conversation.ts';
export { type BatchDeletion, type BatchDue, deleteEndedBatch } from './delete-ended-batch.ts';
export { deleteEndedPrompt, type PromptDeletion } from './delete-ended-prompt.ts';
export { deleteFile } from './delete-file.ts';
export { deriveBatchStatus } from './derive-batch-status.ts';
export { discardQueuedPrompt } from './discard-queued-prompt.ts';
export { executeRows } from './execute-rows.ts';
export { failLostPrompt } from './fail-lost-prompt.ts';
export { createFile } from './file-queries.ts';
export { attachmentsOf, ownedByScope } from './get-prompt.ts';
export { type BulkPromptInput, insertQueuedPrompts } from './insert-queued-prompts.ts';
export { insertSchemas, type NewSchema } from './insert-schemas.ts';
export {
  type LimitedKey,
  type LimitedOwner,
  limitedSubjects,
  type StoredLimits,
  unfinishedInteractivePrompts,
} from './limit-reads.ts';
export { deleteOwnerLimits, type OwnerLimitValues, putOwnerLimits } from './owner-limits.ts';
export { ConnectionClosedEarlyError } from './postgres-socket.ts';
export {
  type Claim,
  type Completion,
  completePrompts,
  markPromptsRunning,
} from './prompt-attempt-batches.ts';
export {
  type AttemptWrite,
  completePrompt,
  failPrompt,
  type PromptFailure,
  type PromptResult,
  requeuePrompt,
} from './prompt-attempts.ts';
export { endProviderItem, importProviderAnswer } from './provider-batch-items.ts';
export {
  advancePollRound,
  insertProviderBatch,
  type NewProviderBatch,
  overdueProviderBatches,
  type ProviderBatchChange,
  queuedProviderBatchItems,
  setProviderBatch,
  splitProviderBatch,
} from './provider-batch-queries.ts';
export {
  deleteProviderKey,
  type NewProviderKey,
  putProviderKey,
} from './provider-keys.ts';
// Everything the read entry has, for the engine and the worker, which may also write.
export * from './reads.ts';
export {
  discardPastTurns,
  insertPastTurns,
  type PastTurn,
  type PastTurns,
} from './record-past-turns.ts';
export {
  type AttachmentRelease,
  type AttachmentUser,
  releaseAttachment,
} from './release-attachment.ts';
export { type BatchRequeue, requeueFailedBatchItems } from './requeue-failed-batch-items.ts';
export type { ResponseSpend } from './response-spend.ts';
export {
  batchesEndedBefore,
  batchesWithExpiredOutput,
  conversationsEndedBefore,
  deleteEndedWebhookDeliveries,
  deleteExpiredFiles,
  releaseUnusedGrants,
} from './retention-queries.ts';
export * from './schema.ts';
export { ServerSecretLostError, sharedServerSecret } from './server-secrets.ts';
export {
  promptProgress,
  type UnfinishedPrompt,
  unfinishedPrompts,
} from './unfinished-prompts.ts';
export { addUsage, type SpendSubject, spendSince, type UsageEntry } from './usage-ledger.ts';
export {
  type UsageAmounts,
  type UsageDimension,
  type UsageGroup,
  type UsageQuery,
  type UsageTotals,
  usageTotals,
} from './usage-totals.ts';
export {
  beginWebhookAttempt,
  recordWebhookAttempt,
  reopenWebhookDelivery,
  type WebhookAttemptOutcome,
} from './webhook-deliveries.ts';
export {
  claimEndedWebhookPrompts,
  claimWebhookBatch,
  endedWebhookBatchCandidates,
  insertWebhookDeliveries,
  type NewWebhookDelivery,
  releaseWebhookBatch,
  takeOverdueWebhookDeliveries,
} from './webhook-outbox.ts';
