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
  type ConversationBody,
  conversationPageSchema,
  conversationSchema,
  conversationSummarySchema,
  listConversationsQuerySchema,
} from './conversations.ts';
export {
  EnvironmentError,
  parseEnvironment,
  type SharedEnvironment,
  sharedEnvironmentSchema,
  workerEnvironmentSchema,
} from './environment.ts';
export { healthSchema, type Readiness, readinessSchema } from './health.ts';
export { type PromptJob, promptJobSchema } from './job-payloads.ts';
export { type ModelBody, modelListSchema, modelSchema } from './models.ts';
export { type Problem, problemContentType, problemSchema } from './problem.ts';
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
