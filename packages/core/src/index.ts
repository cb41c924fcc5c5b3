export { Attachment, type AttachmentInit, urlAttachmentId } from './attachment.ts';
export { validateAttachments } from './attachment-validation.ts';
export { CompletedResponse } from './completed-response.ts';
export { Conversation, type ConversationInit } from './conversation.ts';
export { endpointFields, providerNamePattern } from './endpoint-fields.ts';
export {
  AttachmentError,
  AttachmentTypeError,
  ModelError,
  type ModelErrorDetails,
  NeedsKeyError,
  type OptionIssue,
  OptionsError,
  PluginError,
  SchemaMismatchError,
  SchemaNotSupportedError,
  ToolDefinitionError,
  ToolsNotSupportedError,
  UnknownModelError,
  UnknownToolError,
} from './errors.ts';
export { fetchFollowingRedirects, type HttpFetch, maxRedirects } from './http-fetch.ts';
export { jsonlLines } from './jsonl-lines.ts';
export { keyHelp } from './key-help.ts';
export {
  type Blame,
  type Failure,
  type FailureTraits,
  failureOf,
  LlmqError,
  type LlmqErrorOptions,
} from './llmq-error.ts';
export {
  type AttachmentPart,
  assistantMessage,
  type Message,
  messageAttachments,
  messageText,
  messageToolCalls,
  messageToolResults,
  type Part,
  type ReasoningPart,
  type Role,
  systemMessage,
  type TextPart,
  type ToolCallPart,
  type ToolResultPart,
  toolMessage,
  userMessage,
} from './message.ts';
export { AsyncModel, type ExecuteContext, type PromptCallOptions } from './model.ts';
export { newId } from './new-id.ts';
export { type OptionsSchema, optionsJsonSchema, parseOptions } from './options.ts';
export { type JsonSchema, Prompt, type PromptInit } from './prompt.ts';
export type {
  ProviderBatchAnswer,
  ProviderBatchApi,
  ProviderBatchContext,
  ProviderBatchLimits,
  ProviderBatchRequest,
  ProviderBatchResult,
  ProviderBatchStatus,
} from './provider-batch.ts';
export { pythonJsonDumps, pythonJsonString } from './python-json.ts';
export {
  loadPlugins,
  type ModelListing,
  ModelRegistry,
  type Plugin,
  type PluginContext,
  type PluginImporter,
  type Register,
  type RegisterOptions,
} from './registry.ts';
export { type DoneCallback, Response } from './response.ts';
export { retryAfterMs } from './retry-after.ts';
export { canonicalMimeType, sniffFileType, sniffLength, sniffType } from './sniff-type.ts';
export {
  type ChunkEvent,
  type ExecuteYield,
  type StreamEvent,
  type ToolCallEvent,
  toStreamEvent,
} from './stream-event.ts';
export {
  type Tool,
  type ToolCall,
  type ToolContext,
  type ToolDefinition,
  type ToolResult,
  toolDefinition,
} from './tool.ts';
export { toolHash } from './tool-hash.ts';
export { type RegisterTool, type ToolListing, ToolRegistry } from './tool-registry.ts';
export { toolNamePattern, validateTool, validateTools } from './tool-validation.ts';
export { nonZeroUsageDetails, noUsage, type Usage } from './usage.ts';
