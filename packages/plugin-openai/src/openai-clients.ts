import OpenAI from 'openai';
import type { OpenAIEndpoint } from './openai-endpoint.ts';

/** What an SDK client is made for: a server, its extra headers and the key it sends. */
interface ClientFor {
  readonly endpoint: OpenAIEndpoint;
  /** The key to send; undefined for a server that needs none (no Authorization header). */
  readonly apiKey: string | undefined;
}

/**
 * The plugin's SDK clients, one per server (base URL and headers) and key name, so the models of
 * one endpoint share a client and its connections. A key stored or replaced while the process
 * runs takes effect at the next call: a client is kept only while its key is the same.
 */
export class OpenAIClients {
  readonly #clients = new Map<
    string,
    { readonly apiKey: string | undefined; readonly client: OpenAI }
  >();

  clientFor({ endpoint, apiKey }: ClientFor): OpenAI {
    const slot = JSON.stringify([endpoint.baseUrl, endpoint.headers, endpoint.keyName]);
    const kept = this.#clients.get(slot);
    if (kept && kept.apiKey === apiKey) return kept.client;
    const client = new OpenAI({
      // The SDK insists on a key; for a server that needs none the header is removed below.
      apiKey: apiKey ?? 'none',
      baseURL: endpoint.baseUrl ?? null,
      // OpenAI's organisation and project (read from the environment by the SDK) are for
      // OpenAI alone: another server is not told them.
      ...(endpoint.openAI ? {} : { organization: null, project: null }),
      defaultHeaders: {
        ...endpoint.headers,
        ...(apiKey === undefined ? { Authorization: null } : {}),
      },
      // Retries belong to the queue (backoff, Retry-After per model), never to the SDK.
      maxRetries: 0,
    });
    this.#clients.set(slot, { apiKey, client });
    return client;
  }
}
