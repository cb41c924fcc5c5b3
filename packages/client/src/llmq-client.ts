import type {
  ApiKeyBody,
  AttachmentBody,
  BatchBody,
  BatchItemBody,
  BatchProgressEvent,
  CallerLimitsBody,
  ConversationBody,
  CreateApiKeyBody,
  CreateBatchBody,
  CreatedApiKeyBody,
  CreatePromptBody,
  ModelBody,
  OwnerLimitsBody,
  PromptAccepted,
  PromptBody,
  PromptSummaryBody,
  ProviderKeyBody,
  StoredSchemaBody,
  SubjectLimits,
  ToolListingBody,
  UpdateApiKeyBody,
  UploadedAttachment,
  UsageReportBody,
  WebhookDeliveryBody,
} from '@llmq/contracts';
import { type DeletableKind, type DeletedBody, deletionPath } from './deletions.ts';
import { followBatchEvents } from './follow-batch.ts';
import {
  type FollowOptions,
  followEvents,
  reasoningOfEvents,
  type StreamEntry,
  textOfEvents,
} from './follow-events.ts';
import { HttpTransport } from './http-transport.ts';
import type {
  ListPromptsQuery,
  Page,
  UsageQuery,
  WebhookDeliveryPage,
  WebhookDeliveryQuery,
} from './list-queries.ts';

export interface LlmqClientOptions {
  /** Where the server is (default http://127.0.0.1:3000). */
  readonly baseUrl?: string;
  readonly apiKey?: string | undefined;
  readonly fetch?: typeof fetch;
}

/**
 * A prompt to queue; without a model the server uses its default (LLMQ_DEFAULT_MODEL, marked
 * `default` in GET /v1/models).
 */
export type PromptRequest = Omit<CreatePromptBody, 'model'> & { readonly model?: string };

/** A batch to create; without a model the server uses its default. */
export type BatchRequest = Omit<CreateBatchBody, 'items' | 'model'> & {
  readonly model?: string;
  readonly items: BatchItemBody[];
};

/** A typed client of the llmq HTTP API. */
export class LlmqClient {
  readonly baseUrl: string;
  readonly #http: HttpTransport;

  constructor(options: LlmqClientOptions = {}) {
    this.baseUrl = (options.baseUrl ?? 'http://127.0.0.1:3000').replace(/\/+$/, '');
    this.#http = new HttpTransport(this.baseUrl, options.apiKey, options.fetch ?? fetch);
  }

  async models(): Promise<ModelBody[]> {
    return (await this.#http.json<{ data: ModelBody[] }>('GET', '/v1/models')).data;
  }

  /** Upload bytes (raw body); the id is their sha256. */
  async uploadAttachment(
    bytes: Uint8Array | Blob | ReadableStream<Uint8Array>,
    type?: string,
  ): Promise<UploadedAttachment> {
    const response = await this.#http.request('POST', '/v1/attachments', {
      body: bytes as RequestInit['body'],
      headers: type ? { 'content-type': type } : { 'content-type': 'application/octet-stream' },
      duplex: bytes instanceof ReadableStream ? 'half' : undefined,
    });
    return (await response.json()) as UploadedAttachment;
  }

  async getAttachment(id: string): Promise<AttachmentBody> {
    return this.#http.json('GET', `/v1/attachments/${encodeURIComponent(id)}`);
  }

  /** Queue a prompt; with `wait`, the finished prompt when it ends in time (else accepted). */
  async createPrompt(
    body: PromptRequest,
    options: { idempotencyKey?: string; wait?: boolean; waitSeconds?: number } = {},
  ): Promise<PromptAccepted | PromptBody> {
    const query = new URLSearchParams();
    if (options.wait) query.set('wait', 'true');
    if (options.waitSeconds) query.set('wait_seconds', String(options.waitSeconds));
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.#http.json(
      'POST',
      `/v1/prompts${suffix}`,
      body,
      options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
    );
  }

  async getPrompt(id: string): Promise<PromptBody> {
    return this.#http.json('GET', `/v1/prompts/${encodeURIComponent(id)}`);
  }

  async listPrompts(query: ListPromptsQuery = {}): Promise<Page<PromptSummaryBody>> {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(query))
      if (value !== undefined) params.set(key, String(value));
    return this.#http.json('GET', `/v1/prompts${params.size > 0 ? `?${params}` : ''}`);
  }

  async cancelPrompt(id: string): Promise<PromptBody> {
    return this.#http.json('POST', `/v1/prompts/${encodeURIComponent(id)}/cancel`);
  }

  /**
   * Delete a prompt, a conversation or an ended batch with everything stored for it, or give up
   * this owner's hold on an attachment (its bytes go once nothing holds them).
   */
  async delete(kind: DeletableKind, id: string): Promise<DeletedBody> {
    return this.#http.json('DELETE', deletionPath(kind, id));
  }

  async getConversation(id: string): Promise<ConversationBody> {
    return this.#http.json('GET', `/v1/conversations/${encodeURIComponent(id)}`);
  }

  async listConversations(
    cursor?: string,
  ): Promise<Page<{ id: string; name: string | null; model: string }>> {
    return this.#http.json(
      'GET',
      `/v1/conversations${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}`,
    );
  }

  async listConversationsPage(
    limit: number,
  ): Promise<Page<{ id: string; name: string | null; model: string }>> {
    return this.#http.json('GET', `/v1/conversations?limit=${limit}`);
  }

  /** Items are typed here although the server reads them loosely (it names each bad item). */
  async createBatch(body: BatchRequest): Promise<BatchBody> {
    return this.#http.json('POST', '/v1/batches', body);
  }

  async getBatch(id: string): Promise<BatchBody> {
    return this.#http.json('GET', `/v1/batches/${encodeURIComponent(id)}`);
  }

  async cancelBatch(id: string): Promise<BatchBody> {
    return this.#http.json('POST', `/v1/batches/${encodeURIComponent(id)}/cancel`);
  }

  async retryBatch(id: string): Promise<BatchBody> {
    return this.#http.json('POST', `/v1/batches/${encodeURIComponent(id)}/retry`);
  }

  /** A batch's results as JSONL text lines, streamed. */
  async *batchResultLines(id: string, status?: string): AsyncGenerator<string> {
    const response = await this.#http.request(
      'GET',
      `/v1/batches/${encodeURIComponent(id)}/results${status ? `?status=${status}` : ''}`,
      {},
    );
    const decoder = new TextDecoder();
    let pending = '';
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      pending += decoder.decode(bytes, { stream: true });
      const lines = pending.split('\n');
      pending = lines.pop() ?? '';
      for (const line of lines) if (line) yield line;
    }
    if (pending) yield pending;
  }

  /** A batch's progress events until it ends (reconnecting after drops). */
  followBatch(id: string, signal?: AbortSignal): AsyncGenerator<BatchProgressEvent> {
    return followBatchEvents(
      () =>
        this.#http.request('GET', `/v1/batches/${encodeURIComponent(id)}/stream`, {
          headers: { accept: 'text/event-stream' },
          ...(signal ? { signal } : {}),
        }),
      signal,
    );
  }

  /** Stored schemas (each kept once, by the sha256 of its compact JSON), a page at a time. */
  async listSchemas(
    query: { readonly cursor?: string; readonly limit?: number } = {},
  ): Promise<Page<StoredSchemaBody>> {
    const params = new URLSearchParams();
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.#http.json('GET', `/v1/schemas${params.size > 0 ? `?${params}` : ''}`);
  }

  async getSchema(id: string): Promise<StoredSchemaBody> {
    return this.#http.json('GET', `/v1/schemas/${encodeURIComponent(id)}`);
  }

  /** The tools the server can run (plugins' and MCP servers'), for a prompt's `tools`. */
  async listTools(): Promise<ToolListingBody[]> {
    return (await this.#http.json<{ data: ToolListingBody[] }>('GET', '/v1/tools')).data;
  }

  /**
   * Spend and tokens over UTC days (`from`, `to`: YYYY-MM-DD; default the last 30 days), split
   * by `groupBy`; an owner key gets its own owner's only.
   */
  async usage(query: UsageQuery = {}): Promise<UsageReportBody> {
    const params = new URLSearchParams();
    if (query.from) params.set('from', query.from);
    if (query.to) params.set('to', query.to);
    if (query.groupBy && query.groupBy.length > 0) params.set('group_by', query.groupBy.join(','));
    if (query.owner) params.set('owner', query.owner);
    if (query.keyId) params.set('key_id', query.keyId);
    if (query.model) params.set('model', query.model);
    return this.#http.json('GET', `/v1/usage${params.size > 0 ? `?${params}` : ''}`);
  }

  /** Create an owner key (admins); its `key` is shown this once. A name alone is a plain key. */
  async createKey(body: CreateApiKeyBody | string): Promise<CreatedApiKeyBody> {
    return this.#http.json('POST', '/v1/keys', typeof body === 'string' ? { name: body } : body);
  }

  /** The owner keys and their settings (admins); never the keys themselves. */
  async listKeys(): Promise<ApiKeyBody[]> {
    return (await this.#http.json<{ data: ApiKeyBody[] }>('GET', '/v1/keys')).data;
  }

  /** Change a key's settings (admins): fields left out stay, null clears. */
  async updateKey(id: string, changes: UpdateApiKeyBody): Promise<ApiKeyBody> {
    return this.#http.json('PATCH', `/v1/keys/${encodeURIComponent(id)}`, changes);
  }

  async revokeKey(id: string): Promise<ApiKeyBody> {
    return this.#http.json('DELETE', `/v1/keys/${encodeURIComponent(id)}`);
  }

  /** An owner's limits (admins); every field null when none are set. */
  async ownerLimits(owner: string): Promise<OwnerLimitsBody> {
    return this.#http.json('GET', `/v1/owners/${encodeURIComponent(owner)}/limits`);
  }

  /** Set an owner's limits, replacing them (admins): a field left out is no limit. */
  async setOwnerLimits(owner: string, limits: SubjectLimits): Promise<OwnerLimitsBody> {
    return this.#http.json('PUT', `/v1/owners/${encodeURIComponent(owner)}/limits`, limits);
  }

  async deleteOwnerLimits(owner: string): Promise<OwnerLimitsBody> {
    return this.#http.json('DELETE', `/v1/owners/${encodeURIComponent(owner)}/limits`);
  }

  /** Webhook deliveries, newest first, each with its attempts (an owner key sees its own). */
  async webhookDeliveries(query: WebhookDeliveryQuery = {}): Promise<WebhookDeliveryPage> {
    const params = new URLSearchParams();
    if (query.subjectId) params.set('subject_id', query.subjectId);
    if (query.status) params.set('status', query.status);
    if (query.cursor) params.set('cursor', query.cursor);
    if (query.limit !== undefined) params.set('limit', String(query.limit));
    return this.#http.json('GET', `/v1/webhook-deliveries${params.size > 0 ? `?${params}` : ''}`);
  }

  async webhookDelivery(id: string): Promise<WebhookDeliveryBody> {
    return this.#http.json('GET', `/v1/webhook-deliveries/${encodeURIComponent(id)}`);
  }

  /** Deliver a failed webhook again, for another round of attempts. */
  async retryWebhookDelivery(id: string): Promise<WebhookDeliveryBody> {
    return this.#http.json('POST', `/v1/webhook-deliveries/${encodeURIComponent(id)}/retry`);
  }

  /** The `whsec_…` key deliveries are signed with (admins), for receivers to verify them. */
  async webhookSecret(): Promise<string> {
    return (await this.#http.json<{ secret: string }>('GET', '/v1/webhooks/secret')).secret;
  }

  /** What binds the calling key: its models, expiry and limits, and its owner's limits. */
  async limits(): Promise<CallerLimitsBody> {
    return this.#http.json('GET', '/v1/limits');
  }

  /** Store a provider key on the server (admins), like `llm keys set`; never returned again. */
  async setProviderKey(name: string, key: string): Promise<ProviderKeyBody> {
    return this.#http.json('PUT', `/v1/provider-keys/${encodeURIComponent(name)}`, { key });
  }

  /** The stored provider keys: names, last four characters, who and when. */
  async listProviderKeys(): Promise<ProviderKeyBody[]> {
    return (await this.#http.json<{ data: ProviderKeyBody[] }>('GET', '/v1/provider-keys')).data;
  }

  async deleteProviderKey(name: string): Promise<{ name: string; deleted: true }> {
    return this.#http.json('DELETE', `/v1/provider-keys/${encodeURIComponent(name)}`);
  }

  /** A short-lived token to read a stream without headers (`?token=`, for EventSource). */
  async streamToken(
    kind: 'prompts' | 'batches',
    id: string,
  ): Promise<{ token: string; stream_url: string }> {
    return this.#http.json('POST', `/v1/${kind}/${encodeURIComponent(id)}/token`);
  }

  /** A prompt's events, live, resuming after a dropped connection; ends after done or error. */
  followPrompt(id: string, options: FollowOptions = {}): AsyncGenerator<StreamEntry> {
    return followEvents(
      (after, signal) =>
        this.#http.request('GET', `/v1/prompts/${encodeURIComponent(id)}/stream`, {
          headers: { accept: 'text/event-stream', ...(after ? { 'last-event-id': after } : {}) },
          signal,
        }),
      options,
    );
  }

  /** Follow a prompt to its end and give its final text and reasoning (restarts handled). */
  async streamText(
    id: string,
    options: FollowOptions = {},
  ): Promise<{ text: string; reasoning: string; entries: StreamEntry[] }> {
    const entries: StreamEntry[] = [];
    for await (const entry of this.followPrompt(id, options)) entries.push(entry);
    return { text: textOfEvents(entries), reasoning: reasoningOfEvents(entries), entries };
  }
}
