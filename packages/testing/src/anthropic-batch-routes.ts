import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { anthropicErrorBody } from './anthropic-message-answer.ts';
import { readBody, sendJson } from './json-http.ts';

/** One request of a message batch as created: `{custom_id, params}`. */
export interface AnthropicBatchRequest {
  readonly custom_id: string;
  readonly params: Record<string, unknown>;
}

/** What the local server does with one message batch, decided from its requests at creation. */
export interface AnthropicBatchScript {
  /** Custom ids whose requests end `errored` (an `api_error`, as an overloaded model's). */
  readonly fail?: readonly string[];
  /** The batch expires: its requests after `answerBeforeExpiry` end `expired` (default: half). */
  readonly expire?: boolean;
  readonly answerBeforeExpiry?: number;
  /** Custom ids whose results line cannot be read (a succeeded result without its message). */
  readonly garble?: readonly string[];
  /** The results also hold a line that is not JSON and one without a custom_id. */
  readonly garbageLines?: boolean;
}

export interface AnthropicBatchOptions {
  /** How long a message batch takes, its requests answered evenly over it (default 50 ms). */
  readonly batchProcessingMs?: number;
  readonly batchScript?: (requests: readonly AnthropicBatchRequest[]) => AnthropicBatchScript;
}

type IndividualResult =
  | { readonly type: 'succeeded'; readonly message: unknown }
  | { readonly type: 'errored'; readonly error: unknown }
  | { readonly type: 'canceled' }
  | { readonly type: 'expired' };

interface StoredMessageBatch {
  readonly id: string;
  processingStatus: 'in_progress' | 'canceling' | 'ended';
  readonly requests: readonly AnthropicBatchRequest[];
  readonly results: Map<string, IndividualResult>;
  readonly script: AnthropicBatchScript;
  readonly createdAt: Date;
  endedAt: Date | undefined;
  cancelInitiatedAt: Date | undefined;
}

/** Anthropic's rule for a custom id: 1 to 64 letters, digits, dashes and underscores. */
const customIdPattern = /^[a-zA-Z0-9_-]{1,64}$/;
const maxRequests = 100_000;
const dayMs = 24 * 60 * 60 * 1000;

/**
 * Anthropic's Message Batches for the local server: `POST /v1/messages/batches`,
 * `GET /v1/messages/batches/{id}`, `GET /v1/messages/batches/{id}/results` (JSONL, from the
 * batch's `results_url` once it has ended) and `POST /v1/messages/batches/{id}/cancel`. Each
 * request's `params` is answered by the server's own Messages route (an HTTP request to
 * itself), so a batch answers exactly as real-time calls would; requests are answered evenly
 * over `batchProcessingMs`. A cancel keeps the requests already answered and ends the rest
 * `canceled`; a scripted expiry ends the rest `expired`; a scripted failure, or an error from
 * the Messages route, ends a request `errored` with Anthropic's error. Results come in reverse
 * order, as Anthropic warns they may come in any.
 */
export class AnthropicBatchRoutes {
  readonly #batches = new Map<string, StoredMessageBatch>();
  readonly #options: AnthropicBatchOptions;
  readonly #selfUrl: () => string;
  #counter = 0;

  constructor(options: AnthropicBatchOptions, selfUrl: () => string) {
    this.#options = options;
    this.#selfUrl = selfUrl;
  }

  /** Whether the request was one of these routes (then it has been answered). */
  async handle(request: IncomingMessage, response: ServerResponse): Promise<boolean> {
    const method = request.method ?? 'GET';
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    if (method === 'POST' && path === '/v1/messages/batches') {
      this.#create(await readBody(request), response);
      return true;
    }
    const one = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(path);
    if (!one) return false;
    await readBody(request);
    const batch = this.#batches.get(one[1] ?? '');
    if (!batch) {
      sendJson(
        response,
        404,
        anthropicErrorBody('not_found_error', `No message batch found with id '${one[1]}'.`),
      );
      return true;
    }
    if (method === 'POST' && one[2] === '/cancel') {
      if (batch.processingStatus === 'in_progress') {
        batch.processingStatus = 'canceling';
        batch.cancelInitiatedAt = new Date();
      }
      sendJson(response, 200, this.#batchJson(batch));
    } else if (method === 'GET' && one[2] === '/results') {
      this.#sendResults(batch, response);
    } else if (method === 'GET' && one[2] === undefined) {
      sendJson(response, 200, this.#batchJson(batch));
    } else {
      sendJson(
        response,
        404,
        anthropicErrorBody('not_found_error', `Not found: ${method} ${path}`),
      );
    }
    return true;
  }

  #create(raw: string, response: ServerResponse): void {
    let requests: AnthropicBatchRequest[];
    try {
      requests = validRequests(JSON.parse(raw));
    } catch (error) {
      sendJson(
        response,
        400,
        anthropicErrorBody(
          'invalid_request_error',
          error instanceof SyntaxError ? 'There was an issue with the JSON body.' : String(error),
        ),
      );
      return;
    }
    const batch: StoredMessageBatch = {
      id: `msgbatch_local_${++this.#counter}`,
      processingStatus: 'in_progress',
      requests,
      results: new Map(),
      script: this.#options.batchScript?.(requests) ?? {},
      createdAt: new Date(),
      endedAt: undefined,
      cancelInitiatedAt: undefined,
    };
    this.#batches.set(batch.id, batch);
    sendJson(response, 200, this.#batchJson(batch));
    void this.#run(batch);
  }

  async #run(batch: StoredMessageBatch): Promise<void> {
    const { requests, script } = batch;
    const failing = new Set(script.fail ?? []);
    const answerCount = script.expire
      ? (script.answerBeforeExpiry ?? Math.floor(requests.length / 2))
      : requests.length;
    const pause = (this.#options.batchProcessingMs ?? 50) / Math.max(requests.length, 1);
    let owed = 0;
    for (const [index, request] of requests.entries()) {
      if (batch.cancelInitiatedAt || index >= answerCount) break;
      owed += pause;
      // Sleeping per request would cost a timer each: the pauses are taken once they add up.
      if (owed >= 5) {
        await sleep(owed);
        owed = 0;
      }
      if (batch.cancelInitiatedAt) break;
      batch.results.set(
        request.custom_id,
        failing.has(request.custom_id)
          ? {
              type: 'errored',
              error: anthropicErrorBody('api_error', 'The model failed to answer (scripted)'),
            }
          : await this.#answer(request),
      );
    }
    const rest: IndividualResult = batch.cancelInitiatedAt
      ? { type: 'canceled' }
      : { type: 'expired' };
    for (const request of requests) {
      if (!batch.results.has(request.custom_id)) batch.results.set(request.custom_id, rest);
    }
    batch.processingStatus = 'ended';
    batch.endedAt = new Date();
  }

  /** One request answered by the Messages route, as a real-time call of its params would be. */
  async #answer(request: AnthropicBatchRequest): Promise<IndividualResult> {
    if (request.params.stream === true) {
      return {
        type: 'errored',
        error: anthropicErrorBody(
          'invalid_request_error',
          'params.stream: streaming is not supported in message batches',
        ),
      };
    }
    const answer = await fetch(`${this.#selfUrl()}/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(request.params),
    });
    const body = (await answer.json()) as unknown;
    return answer.ok ? { type: 'succeeded', message: body } : { type: 'errored', error: body };
  }

  #sendResults(batch: StoredMessageBatch, response: ServerResponse): void {
    if (batch.processingStatus !== 'ended') {
      sendJson(
        response,
        400,
        anthropicErrorBody(
          'invalid_request_error',
          `Message batch ${batch.id} is still ${batch.processingStatus}; results are available once it has ended.`,
        ),
      );
      return;
    }
    const garbled = new Set(batch.script.garble ?? []);
    const lines = [...batch.results.entries()]
      .reverse()
      .map(
        ([customId, result]) =>
          `${JSON.stringify({ custom_id: customId, result: garbled.has(customId) ? { type: 'succeeded' } : result })}\n`,
      );
    if (batch.script.garbageLines) {
      lines.push('this is not JSON\n', `${JSON.stringify({ result: { type: 'expired' } })}\n`);
    }
    response.writeHead(200, { 'content-type': 'application/binary' });
    response.end(lines.join(''));
  }

  #batchJson(batch: StoredMessageBatch) {
    const counts = { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 0 };
    for (const result of batch.results.values()) counts[result.type]++;
    counts.processing = batch.requests.length - batch.results.size;
    return {
      id: batch.id,
      type: 'message_batch',
      processing_status: batch.processingStatus,
      request_counts: counts,
      created_at: batch.createdAt.toISOString(),
      expires_at: new Date(batch.createdAt.getTime() + dayMs).toISOString(),
      ended_at: batch.endedAt?.toISOString() ?? null,
      cancel_initiated_at: batch.cancelInitiatedAt?.toISOString() ?? null,
      archived_at: null,
      results_url:
        batch.processingStatus === 'ended'
          ? `${this.#selfUrl()}/v1/messages/batches/${batch.id}/results`
          : null,
    };
  }
}

/** The requests of a create body, or an error in Anthropic's words for what it refuses. */
function validRequests(body: unknown): AnthropicBatchRequest[] {
  const requests = (body as { requests?: unknown } | null)?.requests;
  if (!Array.isArray(requests) || requests.length === 0) {
    throw new Error('requests: at least one request is required');
  }
  if (requests.length > maxRequests) {
    throw new Error(`requests: a message batch holds at most ${maxRequests} requests`);
  }
  const seen = new Set<string>();
  for (const [index, request] of requests.entries()) {
    const customId = (request as { custom_id?: unknown }).custom_id;
    const params = (request as { params?: unknown }).params;
    if (typeof customId !== 'string' || !customIdPattern.test(customId)) {
      throw new Error(
        `requests.${index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`,
      );
    }
    if (seen.has(customId)) {
      throw new Error(`requests.${index}.custom_id: duplicate custom_id '${customId}'`);
    }
    seen.add(customId);
    if (typeof params !== 'object' || params === null || Array.isArray(params)) {
      throw new Error(`requests.${index}.params: Input should be an object`);
    }
  }
  return requests as AnthropicBatchRequest[];
}
