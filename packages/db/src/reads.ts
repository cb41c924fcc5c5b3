// `@llmq/db/reads`: the queries that only read, and the row types they return. The api's routes
// may import this entry and no other part of db (the dependency checker, .dependency-cruiser.cjs,
// enforces it): anything that writes goes through an engine operation. The engine and the
// worker use the main entry, which has the writes too.
export {
  countActiveApiKeys,
  findUnrevokedApiKey,
  getApiKey,
  isApiKeyActive,
  listApiKeys,
  ownerHasKeys,
} from './api-keys.ts';
export { listAttachments, visibleAttachmentIds } from './attachment-access.ts';
export { getAttachment, getAttachments } from './attachment-rows.ts';
export { type BatchCounts, batchCounts } from './batch-counts.ts';
export { batchItemIds, batchItemsPage, getBatch, listBatches } from './batch-queries.ts';
export { type BatchTokenTotals, batchTokenTotals } from './batch-token-totals.ts';
export { type ChainStepRow, chainStepsOf, toolResultsOf } from './chain-steps.ts';
export { countRowsByTable } from './count-rows.ts';
export type { Database, DatabaseExecutor, DatabaseHandle } from './database.ts';
export { getFile, listFiles } from './file-queries.ts';
export {
  type ConversationPage,
  type ConversationTurn,
  type ConversationWithTurns,
  findConversation,
  getConversation,
  getConversationHistory,
  latestConversation,
  listConversations,
  type TurnPlace,
} from './get-conversation.ts';
export { getPrompt, type OwnerScope, type PromptWithAttachments } from './get-prompt.ts';
export { getPromptDetail, type PromptDetail } from './get-prompt-detail.ts';
export { hasLaterTurn } from './has-later-turn.ts';
export { type ListPromptsFilter, listPrompts, type PromptPage } from './list-prompts.ts';
export { getOwnerLimits } from './owner-limits.ts';
export { promptCountsByStatus } from './prompt-counts-by-status.ts';
export { getProviderBatch, providerBatchesOf } from './provider-batch-queries.ts';
export { listProviderKeys } from './provider-keys.ts';
export type {
  ApiKeyRow,
  AttachmentOwnerRow,
  AttachmentRow,
  BatchRow,
  ConversationRow,
  FileRow,
  OwnerLimitsRow,
  ProviderKeyRow,
  ResponseRow,
  SchemaRow,
  StoredTool,
  StoredToolCall,
  ToolResultRow,
} from './schema.ts';
export { getStoredSchema, getVisibleSchema, listSchemas } from './stored-schemas.ts';
export { unfinishedPromptCounts } from './unfinished-prompt-counts.ts';
export { type UsageGroup, type UsageTotals, usageTotals } from './usage-totals.ts';
export {
  getWebhookDelivery,
  listWebhookDeliveries,
  type WebhookDeliveryFilter,
  type WebhookDeliveryWithAttempts,
} from './webhook-deliveries.ts';
