import type Anthropic from '@anthropic-ai/sdk';
import type { MessageCreateParamsNonStreaming } from '@anthropic-ai/sdk/resources/messages';
import type { MessageBatch } from '@anthropic-ai/sdk/resources/messages/batches';
import type {
  Prompt,
  ProviderBatchApi,
  ProviderBatchContext,
  ProviderBatchLimits,
  ProviderBatchRequest,
  ProviderBatchResult,
  ProviderBatchStatus,
} from '@llmq/core';
import { jsonlLines, ModelError } from '@llmq/core';
import { anthropicBatchLineResult } from './anthropic-batch-results.ts';
import { toModelError } from './anthropic-errors.ts';

/** Anthropic's limits for one message batch: 100,000 requests or 256 MB of requests. */
export const anthropicBatchLimits: ProviderBatchLimits = {
  maxRequests: 100_000,
  maxBytes: 256 * 1024 * 1024,
};

export interface AnthropicBatchApiInit {
  readonly provider: string;
  /** The model's name at the provider: answers from another model name it. */
  readonly providerModel: string;
  /** The SDK client for a key (the model's, which retries nothing itself). */
  readonly clientFor: (key: string | undefined) => Anthropic;
  /** The body a non-streamed real-time call of the prompt sends: each request's `params`. */
  readonly requestBody: (prompt: Prompt<unknown>, signal?: AbortSignal) => Promise<unknown>;
}

/**
 * Anthropic's Message Batches for a Claude model: the requests go up in the create call itself
 * (`{requests: [{custom_id, params}]}`, no file), the batch is retrieved for its
 * `processing_status` and `request_counts`, and once ended its results are read as JSONL, one
 * line per request (succeeded, errored, canceled or expired: every request gets one).
 *
 * There is no `findCreated`: a message batch keeps no label, so a submitter that dies between
 * `create` and recording the id cannot find the batch it made, and the job that runs again
 * creates a second one for the chunk. That costs the chunk twice at the provider (and the
 * orphan's results are never read); the imports stay exactly-once, fenced per item.
 */
export class AnthropicBatchApi implements ProviderBatchApi {
  readonly provider: string;
  readonly limits = anthropicBatchLimits;
  readonly #init: AnthropicBatchApiInit;

  constructor(init: AnthropicBatchApiInit) {
    this.provider = init.provider;
    this.#init = init;
  }

  requestBody(prompt: Prompt<unknown>, signal?: AbortSignal): Promise<unknown> {
    return this.#init.requestBody(prompt, signal);
  }

  async create(
    requests: readonly ProviderBatchRequest[],
    context: ProviderBatchContext & { readonly reference: string },
  ): Promise<string> {
    const client = this.#init.clientFor(context.key);
    const batch = await this.#call(() =>
      client.messages.batches.create(
        {
          requests: requests.map((request) => ({
            custom_id: request.customId,
            params: request.body as MessageCreateParamsNonStreaming,
          })),
        },
        { signal: context.signal },
      ),
    );
    return batch.id;
  }

  async status(batchId: string, context: ProviderBatchContext): Promise<ProviderBatchStatus> {
    const client = this.#init.clientFor(context.key);
    const batch = await this.#call(() =>
      client.messages.batches.retrieve(batchId, {}, { signal: context.signal }),
    );
    const counts = batch.request_counts;
    const unanswered = unansweredOf(batch);
    const state = stateOf[batch.processing_status];
    if (!state) {
      // A status this code does not know: polling would never end, so the batch ends failed.
      return {
        state: 'ended',
        error: `Anthropic gave the message batch an unknown status: ${batch.processing_status}`,
        unanswered: 'failed',
      };
    }
    return {
      state,
      counts: {
        done: counts.succeeded,
        failed: counts.errored + counts.canceled + counts.expired,
        total:
          counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired,
      },
      ...(unanswered ? { unanswered } : {}),
    };
  }

  async *results(
    batchId: string,
    context: ProviderBatchContext,
  ): AsyncIterable<ProviderBatchResult> {
    const client = this.#init.clientFor(context.key);
    // Read as text, line by line, rather than through the SDK's decoder, which parses every line
    // and stops at the first that is not JSON: each line is judged alone.
    const response = await this.#call(async () => {
      const batch = await client.messages.batches.retrieve(batchId, {}, { signal: context.signal });
      if (!batch.results_url) {
        throw new ModelError(`The message batch ${batchId} has no results yet`, {
          retryable: true,
        });
      }
      return client.get<Response>(batch.results_url, {
        headers: { Accept: 'application/binary' },
        signal: context.signal,
        __binaryResponse: true,
      });
    });
    const lines = jsonlLines(response.body)[Symbol.asyncIterator]();
    for (;;) {
      const next = await this.#call(() => lines.next());
      if (next.done) return;
      const result = anthropicBatchLineResult(next.value, this.#init.providerModel);
      if ('unreadable' in result) {
        // No custom_id to fail: its request ends as having no result. Said, not thrown.
        process.emitWarning(
          `Anthropic message batch ${batchId}: skipped a line: ${result.unreadable}`,
        );
        continue;
      }
      yield result;
    }
  }

  async cancel(batchId: string, context: ProviderBatchContext): Promise<void> {
    const client = this.#init.clientFor(context.key);
    await this.#call(() => client.messages.batches.cancel(batchId, {}, { signal: context.signal }));
  }

  /** The SDK's errors as the core taxonomy's, as a real-time call's are. */
  async #call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw toModelError(error);
    }
  }
}

const stateOf: Partial<Record<string, ProviderBatchStatus['state']>> = {
  in_progress: 'in_progress',
  canceling: 'cancelling',
  ended: 'ended',
};

/**
 * How requests without a result line ended. Anthropic gives every request a line (canceled and
 * expired included), so this only matters if one is missing: the batch's cancel or expiry says.
 */
function unansweredOf(batch: MessageBatch): ProviderBatchStatus['unanswered'] {
  if (batch.processing_status !== 'ended') return undefined;
  if (batch.cancel_initiated_at) return 'cancelled';
  if (batch.request_counts.expired > 0) return 'expired';
  return undefined;
}
