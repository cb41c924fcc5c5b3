import type {
  Prompt,
  ProviderBatchApi,
  ProviderBatchContext,
  ProviderBatchLimits,
  ProviderBatchRequest,
  ProviderBatchResult,
  ProviderBatchStatus,
} from '@llmq/core';
import { jsonlLines } from '@llmq/core';
import { type OpenAI, toFile } from 'openai';
import type { Batch } from 'openai/resources/batches';
import { batchLineResult } from './openai-batch-lines.ts';
import { toModelError } from './openai-errors.ts';

/** OpenAI's limits for one batch: 50,000 requests and an input file of 200 MB. */
export const openAIBatchLimits: ProviderBatchLimits = {
  maxRequests: 50_000,
  maxBytes: 200 * 1024 * 1024,
};

/** The metadata key a batch's llmq reference is kept under, to find it again. */
const referenceKey = 'llmq_reference';

export interface OpenAIBatchApiInit {
  readonly provider: string;
  /** The model's name at the provider: answers from another model name it. */
  readonly providerModel: string;
  readonly endpoint: '/v1/chat/completions';
  /** The SDK client for a key. */
  readonly clientFor: (key: string | undefined) => OpenAI;
  /** The body a non-streamed real-time call of the prompt sends. */
  readonly requestBody: (prompt: Prompt<unknown>, signal?: AbortSignal) => Promise<unknown>;
}

/**
 * OpenAI's Batch API for a Chat Completions model: the requests go up as a JSONL file
 * (`purpose: batch`), the batch is created over it with a 24-hour window, and the output and
 * error files are read back once it has ended.
 */
export class OpenAIBatchApi implements ProviderBatchApi {
  readonly provider: string;
  readonly limits = openAIBatchLimits;
  readonly #init: OpenAIBatchApiInit;

  constructor(init: OpenAIBatchApiInit) {
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
    const jsonl = requests
      .map((request) =>
        JSON.stringify({
          custom_id: request.customId,
          method: 'POST',
          url: this.#init.endpoint,
          body: request.body,
        }),
      )
      .join('\n');
    return this.#call(async () => {
      const file = await client.files.create(
        {
          file: await toFile(Buffer.from(`${jsonl}\n`), `llmq-${context.reference}.jsonl`),
          purpose: 'batch',
        },
        { signal: context.signal },
      );
      const batch = await client.batches.create(
        {
          input_file_id: file.id,
          endpoint: this.#init.endpoint,
          completion_window: '24h',
          metadata: { [referenceKey]: context.reference },
        },
        { signal: context.signal },
      );
      return batch.id;
    });
  }

  async findCreated(
    reference: string,
    createdSince: Date,
    context: ProviderBatchContext,
  ): Promise<string | undefined> {
    const client = this.#init.clientFor(context.key);
    // Newest first: the walk stops at the first batch made before the reference was written.
    const since = Math.floor(createdSince.getTime() / 1000) - 60;
    return this.#call(async () => {
      for await (const batch of client.batches.list({ limit: 100 }, { signal: context.signal })) {
        if (batch.metadata?.[referenceKey] === reference) return batch.id;
        if (batch.created_at < since) return undefined;
      }
      return undefined;
    });
  }

  async status(batchId: string, context: ProviderBatchContext): Promise<ProviderBatchStatus> {
    const batch = await this.#retrieve(batchId, context);
    const counts = batch.request_counts && {
      done: batch.request_counts.completed,
      failed: batch.request_counts.failed,
      total: batch.request_counts.total,
    };
    const error = batch.errors?.data?.map((item) => item.message ?? item.code).join('; ');
    const state = stateOf[batch.status];
    if (!state) {
      // A status this code does not know: polling would never end, so the batch ends failed
      // (what its files hold is still imported).
      return {
        state: 'ended',
        ...(counts ? { counts } : {}),
        error: `OpenAI gave the batch an unknown status: ${batch.status}`,
        unanswered: 'failed',
      };
    }
    return {
      state,
      ...(counts ? { counts } : {}),
      ...(batch.status === 'failed' ? { error: error || 'OpenAI failed the batch' } : {}),
      ...(unansweredOf[batch.status] ? { unanswered: unansweredOf[batch.status] } : {}),
    };
  }

  async *results(
    batchId: string,
    context: ProviderBatchContext,
  ): AsyncIterable<ProviderBatchResult> {
    const client = this.#init.clientFor(context.key);
    const batch = await this.#retrieve(batchId, context);
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const content = await this.#call(() =>
        client.files.content(fileId, { signal: context.signal }),
      );
      const lines = jsonlLines(content.body)[Symbol.asyncIterator]();
      for (;;) {
        const next = await this.#call(() => lines.next());
        if (next.done) break;
        const result = batchLineResult(next.value, this.#init.providerModel);
        if ('unreadable' in result) {
          // No custom_id to fail: its request ends as having no result. Said, not thrown, so
          // the other lines are read.
          process.emitWarning(`OpenAI batch ${batchId}: skipped a line: ${result.unreadable}`);
          continue;
        }
        yield result;
      }
    }
    // Requests in neither file never ran: the engine, which knows what it sent, ends them as
    // `status().unanswered` says.
  }

  async cancel(batchId: string, context: ProviderBatchContext): Promise<void> {
    const client = this.#init.clientFor(context.key);
    await this.#call(() => client.batches.cancel(batchId, { signal: context.signal }));
  }

  async #retrieve(batchId: string, context: ProviderBatchContext): Promise<Batch> {
    const client = this.#init.clientFor(context.key);
    return this.#call(() => client.batches.retrieve(batchId, { signal: context.signal }));
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

const unansweredOf: Partial<Record<Batch['status'], ProviderBatchStatus['unanswered']>> = {
  failed: 'failed',
  expired: 'expired',
  cancelled: 'cancelled',
};

const stateOf: Partial<Record<string, ProviderBatchStatus['state']>> = {
  validating: 'in_progress',
  in_progress: 'in_progress',
  finalizing: 'in_progress',
  cancelling: 'cancelling',
  completed: 'ended',
  failed: 'ended',
  expired: 'ended',
  cancelled: 'ended',
};
