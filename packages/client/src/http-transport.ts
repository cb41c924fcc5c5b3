import type { Problem } from '@llmq/contracts';
import { LlmqApiError, LlmqConnectionError } from './api-error.ts';

/** What a request may carry besides its method and path. */
export interface RequestOptions {
  readonly body?: RequestInit['body'] | undefined;
  readonly headers?: Record<string, string>;
  readonly signal?: AbortSignal;
  readonly duplex?: 'half' | undefined;
}

/**
 * The client's HTTP: each request to the server with the key, a refused one thrown as an
 * LlmqApiError (with its problem, when it sent one), an unreachable server as an
 * LlmqConnectionError.
 */
export class HttpTransport {
  readonly baseUrl: string;
  readonly #apiKey: string | undefined;
  readonly #fetch: typeof fetch;

  constructor(baseUrl: string, apiKey: string | undefined, fetcher: typeof fetch) {
    this.baseUrl = baseUrl;
    this.#apiKey = apiKey;
    this.#fetch = fetcher;
  }

  async json<T>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<T> {
    const response = await this.request(method, path, {
      body: body === undefined ? undefined : JSON.stringify(body),
      headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
    return (await response.json()) as T;
  }

  async request(method: string, path: string, init: RequestOptions): Promise<Response> {
    const url = `${this.baseUrl}${path}`;
    const headers: Record<string, string> = { ...init.headers };
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    let response: Response;
    try {
      response = await this.#fetch(url, {
        method,
        headers,
        body: init.body,
        signal: init.signal,
        ...(init.duplex ? { duplex: init.duplex } : {}),
      } as RequestInit);
    } catch (error) {
      if (init.signal?.aborted) throw error;
      throw new LlmqConnectionError(this.baseUrl, error);
    }
    if (response.status >= 400) {
      const text = await response.text();
      let problem: Problem | undefined;
      try {
        problem = JSON.parse(text) as Problem;
      } catch {
        problem = undefined;
      }
      throw new LlmqApiError(
        response.status,
        problem?.detail ? problem : undefined,
        `HTTP ${response.status}: ${text.slice(0, 200)}`,
      );
    }
    return response;
  }
}
