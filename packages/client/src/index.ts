export { LlmqApiError, LlmqConnectionError } from './api-error.ts';
export {
  type FollowOptions,
  followEvents,
  type OpenStream,
  reasoningOfEvents,
  type StreamEntry,
  textOfEvents,
} from './follow-events.ts';
export {
  type BatchRequest,
  type ListPromptsQuery,
  LlmqClient,
  type LlmqClientOptions,
  type Page,
  type PromptRequest,
  type UsageQuery,
  type WebhookDeliveryPage,
  type WebhookDeliveryQuery,
} from './llmq-client.ts';
