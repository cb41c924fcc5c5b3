import type { Prompt } from './prompt.ts';
import type { ToolCall } from './tool.ts';
import type { Usage } from './usage.ts';

/**
 * A provider's batch API as one model uses it (OpenAI's Batch API, Anthropic's Message Batches):
 * the same requests as real-time calls, answered within a day at the provider's batch price.
 * A plugin offers it on the models whose provider has one (`AsyncModel.batchApi`); the engine
 * builds, splits, submits, polls and imports.
 */
export interface ProviderBatchApi {
  /** The provider's name for its batches (`openai`, `anthropic`): keys and pollers go by it. */
  readonly provider: string;
  /** The most requests and bytes (of the requests as sent) one provider batch may hold. */
  readonly limits: ProviderBatchLimits;
  /** The request one prompt becomes: what a real-time call of the same prompt would send. */
  requestBody(prompt: Prompt<unknown>, signal?: AbortSignal): Promise<unknown>;
  /**
   * Create a provider batch of these requests, labelled with `reference` where the provider keeps
   * labels (OpenAI's `metadata`); its id.
   */
  create(
    requests: readonly ProviderBatchRequest[],
    context: ProviderBatchContext & { readonly reference: string },
  ): Promise<string>;
  /**
   * The provider batch created with this `reference` since `createdSince`, if any: how a
   * submitter that died between `create` and recording its id finds the batch instead of creating
   * a second one. A provider without labels leaves it out (see docs/architecture.md).
   */
  findCreated?(
    reference: string,
    createdSince: Date,
    context: ProviderBatchContext,
  ): Promise<string | undefined>;
  /** Where the provider batch is. */
  status(batchId: string, context: ProviderBatchContext): Promise<ProviderBatchStatus>;
  /** Every request's outcome, once the batch has ended (any order: `customId` says whose). */
  results(batchId: string, context: ProviderBatchContext): AsyncIterable<ProviderBatchResult>;
  /** Ask the provider to cancel; requests it finished stay answered. */
  cancel(batchId: string, context: ProviderBatchContext): Promise<void>;
}

export interface ProviderBatchLimits {
  readonly maxRequests: number;
  readonly maxBytes: number;
}

export interface ProviderBatchRequest {
  readonly customId: string;
  readonly body: unknown;
}

export interface ProviderBatchContext {
  /** The key to call the provider with (the model's, from the environment or stored). */
  readonly key: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

export interface ProviderBatchStatus {
  /** `ended` once every request has an outcome (answered, failed, expired or cancelled). */
  readonly state: 'in_progress' | 'cancelling' | 'ended';
  /** The provider's own counts, for progress, when it gives them. */
  readonly counts?: { readonly done: number; readonly failed: number; readonly total: number };
  /** Why the whole batch failed (its input refused), when it did: every request fails so. */
  readonly error?: string | undefined;
  /**
   * Once ended, how the requests without a result ended (the batch expired, was cancelled or
   * failed whole); unset when every request has one.
   */
  readonly unanswered?: 'failed' | 'expired' | 'cancelled' | undefined;
}

/** One request's outcome in a provider batch. */
export type ProviderBatchResult =
  | { readonly customId: string; readonly type: 'succeeded'; readonly answer: ProviderBatchAnswer }
  | {
      readonly customId: string;
      readonly type: 'failed' | 'expired' | 'cancelled';
      /** The provider's reason, as a failed prompt's error says it. */
      readonly error: string;
    };

/** A request's answer, as a real-time call's completed response would give it. */
export interface ProviderBatchAnswer {
  readonly text: string;
  readonly reasoning?: string | undefined;
  readonly toolCalls: readonly ToolCall[];
  readonly usage: Usage;
  /** What the plugin stores of the answer (its `json()`). */
  readonly json: unknown;
  readonly resolvedModel?: string | undefined;
}
