export { Attachment, type AttachmentInit, urlAttachmentId } from './attachment.ts';
export { validateAttachments } from './attachment-validation.ts';
export { CompletedResponse } from './completed-response.ts';
export { Conversation, type ConversationInit } from './conversation.ts';
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
  UnknownModelError,
} from './errors.ts';
export { fetchFollowingRedirects, type HttpFetch, maxRedirects } from './http-fetch.ts';
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
  type Part,
  type ReasoningPart,
  type Role,
  systemMessage,
  type TextPart,
  userMessage,
} from './message.ts';
export { AsyncModel, type ExecuteContext, type PromptCallOptions } from './model.ts';
export { newId } from './new-id.ts';
export { type OptionsSchema, optionsJsonSchema, parseOptions } from './options.ts';
export { type JsonSchema, Prompt, type PromptInit } from './prompt.ts';
export { pythonJsonString } from './python-json.ts';
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
export { canonicalMimeType, sniffFileType, sniffLength, sniffType } from './sniff-type.ts';
export { type ExecuteYield, type StreamEvent, toStreamEvent } from './stream-event.ts';
export { nonZeroUsageDetails, noUsage, type Usage } from './usage.ts';
