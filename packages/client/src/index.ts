export { LlmqApiError, LlmqConnectionError } from './api-error.ts';
export { type DeletableKind, type DeletedBody, deletableKinds } from './deletions.ts';
export {
  type FollowOptions,
  followEvents,
  type OpenStream,
  reasoningOfEvents,
  type StreamEntry,
  textOfEvents,
} from './follow-events.ts';
export type {
  ListPromptsQuery,
  Page,
  UsageQuery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
} from './list-queries.ts';
export {
  type BatchRequest,
  LlmqClient,
  type LlmqClientOptions,
  type PromptRequest,
} from './llmq-client.ts';
