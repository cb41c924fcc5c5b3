export {
  countActiveApiKeys,
  createApiKey,
  findActiveApiKey,
  isApiKeyActive,
  listApiKeys,
  type NewApiKey,
  revokeApiKey,
} from './api-keys.ts';
export { grantAttachments, listAttachments, visibleAttachmentIds } from './attachment-access.ts';
export { getAttachment, getAttachments, upsertAttachment } from './attachment-rows.ts';
export { type BatchCounts, batchCounts } from './batch-counts.ts';
export {
  type BatchStatusChange,
  batchesStillValidating,
  batchItemIds,
  batchItemsPage,
  cancelQueuedBatchItems,
  createBatch,
  getBatch,
  listBatches,
  type NewBatch,
  requeueFailedBatchItems,
  setBatchStatus,
} from './batch-queries.ts';
export { cancelPrompt } from './cancel-prompt.ts';
export { countRowsByTable } from './count-rows.ts';
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
  type Database,
  type DatabaseExecutor,
  type DatabaseHandle,
  isConnectionError,
  type Transaction,
} from './database.ts';
export {
  DatabaseConfigError,
  DatabaseUnavailableError,
  isDatabaseQueryError,
} from './database-errors.ts';
export { discardQueuedPrompt } from './discard-queued-prompt.ts';
export { executeRows } from './execute-rows.ts';
export { failLostPrompt } from './fail-lost-prompt.ts';
export { createFile, getFile, listFiles } from './file-queries.ts';
export {
  type ConversationPage,
  type ConversationWithTurns,
  findConversation,
  getConversation,
  getConversationHistory,
  latestConversation,
  listConversations,
} from './get-conversation.ts';
export {
  attachmentsOf,
  getPrompt,
  type OwnerScope,
  ownedByScope,
  type PromptWithAttachments,
} from './get-prompt.ts';
export { type BulkPromptInput, insertQueuedPrompts } from './insert-queued-prompts.ts';
export { type ListPromptsFilter, listPrompts, type PromptPage } from './list-prompts.ts';
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
export { promptCountsByStatus } from './prompt-counts-by-status.ts';
export {
  discardPastTurns,
  insertPastTurns,
  type PastTurn,
  type PastTurns,
} from './record-past-turns.ts';
export * from './schema.ts';
export { unfinishedPromptCounts } from './unfinished-prompt-counts.ts';
export {
  promptProgress,
  type UnfinishedPrompt,
  unfinishedPrompts,
} from './unfinished-prompts.ts';
