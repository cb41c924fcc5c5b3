export {
  type AttachmentBody,
  attachmentIdSchema,
  attachmentPathSchema,
  attachmentSchema,
  type UploadedAttachment,
  uploadedAttachmentListSchema,
  uploadedAttachmentSchema,
} from './attachments.ts';
export {
  type BatchStatus,
  batchStatuses,
  type EndedBatchStatus,
  endedBatchStatuses,
  isEndedBatchStatus,
} from './batch-statuses.ts';
export {
  type BatchBody,
  type BatchCountsBody,
  type BatchItemBody,
  type BatchItemEvent,
  type BatchProgressEvent,
  type BatchResultBody,
  type BatchStatusBody,
  batchCountsSchema,
  batchItemEventSchema,
  batchItemSchema,
  batchPageSchema,
  batchPathSchema,
  batchProgressEventSchema,
  batchResultSchema,
  batchResultsQuerySchema,
  batchSchema,
  batchStatusSchema,
  batchStreamQuerySchema,
  batchTemplateSchema,
  type CreateBatchBody,
  createBatchSchema,
  listBatchesQuerySchema,
} from './batches.ts';
export {
  ConciseSchemaError,
  isMultiSchema,
  type JsonSchemaObject,
  multiSchema,
  parseConciseSchema,
} from './concise-schema.ts';
export {
  type ConversationBody,
  conversationPageSchema,
  conversationSchema,
  conversationSummarySchema,
  listConversationsQuerySchema,
} from './conversations.ts';
export {
  EnvironmentError,
  type ModelLimits,
  type ModelPrices,
  modelLimitsSchema,
  modelPricesSchema,
  parseEnvironment,
  type SharedEnvironment,
  sharedEnvironmentSchema,
  tracesEndpoint,
  workerEnvironmentSchema,
} from './environment.ts';
export { healthSchema, type Readiness, readinessSchema } from './health.ts';
export { resourceIdSchema } from './ids.ts';
export { type PromptJob, promptJobSchema } from './job-payloads.ts';
export {
  type BudgetPeriod,
  budgetPeriods,
  type SubjectLimits,
  subjectLimitsSchema,
} from './limits.ts';
export { type ModelBody, modelListSchema, modelSchema } from './models.ts';
export { containsNul, withoutNul } from './no-nul.ts';
export { type Problem, problemContentType, problemSchema } from './problem.ts';
export {
  type ProblemDefinition,
  type ProblemName,
  problemCatalogue,
  problemSlug,
  problemType,
} from './problem-catalogue.ts';
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
  reasoningEventSchema,
  restartEventSchema,
  statusEventSchema,
  toolCallEventSchema,
  toolResultEventSchema,
  type UsageBody,
  usageSchema,
} from './prompt-events.ts';
export {
  type EndedPromptStatus,
  endedPromptStatuses,
  isEndedStatus,
  type PromptStatus,
  promptStatuses,
  type UnfinishedPromptStatus,
  unfinishedPromptStatuses,
} from './prompt-statuses.ts';
export {
  type CreatePromptBody,
  createPromptQuerySchema,
  createPromptSchema,
  listPromptsQuerySchema,
  type PromptAccepted,
  type PromptAttachmentInput,
  type PromptBody,
  type PromptStatusBody,
  type PromptSummaryBody,
  promptAcceptedSchema,
  promptAttachmentInputSchema,
  promptLinksSchema,
  promptPageSchema,
  promptPathSchema,
  promptSchema,
  promptStatusSchema,
  promptSummarySchema,
  streamQuerySchema,
} from './prompts.ts';
export {
  type ProviderKeyBody,
  type ProviderKeyListBody,
  providerKeyListSchema,
  providerKeyNameSchema,
  providerKeyPathSchema,
  providerKeySchema,
  type SetProviderKeyBody,
  setProviderKeySchema,
} from './provider-keys.ts';
export { readSchemaText, type SchemaText, SchemaTextError } from './schema-text.ts';
export {
  asSchemaId,
  listStoredSchemasQuerySchema,
  type SchemaInput,
  type StoredSchemaBody,
  schemaIdPattern,
  schemaIdSchema,
  schemaInputSchema,
  schemaLimits,
  schemaMultiSchema,
  storedSchemaPageSchema,
  storedSchemaPathSchema,
  storedSchemaSchema,
} from './stored-schemas.ts';
export {
  type ChainBody,
  chainSchema,
  defaultChainLimit,
  maxChainLimit,
  type PromptToolBody,
  type PromptToolInput,
  promptToolInputSchema,
  promptToolSchema,
  type ToolCallBody,
  type ToolListingBody,
  type ToolResultBody,
  type ToolResultInput,
  toolCallSchema,
  toolListingSchema,
  toolListSchema,
  toolNameSchema,
  toolResultInputSchema,
  toolResultSchema,
} from './tools.ts';
