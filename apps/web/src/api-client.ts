import { apiKeyStore } from './api-key-store.ts';
import { askForApiKey } from './ask-for-api-key.ts';

/** A problem+json answer (or a network failure, status 0) from the API. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ApiRequest {
  readonly method?: string;
  /** Sent as JSON. */
  readonly json?: unknown;
  /** Sent as is (FormData, Blob). */
  readonly body?: BodyInit;
  readonly signal?: AbortSignal;
}

export function authorizationHeaders(): Record<string, string> {
  const key = apiKeyStore.get();
  return key ? { authorization: `Bearer ${key}` } : {};
}

/**
 * Whether a refused request should be sent again: the key is asked for (once for every request
 * refused at the same time) and kept for the tab.
 */
export async function renewKeyAfter(status: number, detail: string): Promise<boolean> {
  if (status !== 401) return false;
  const hadKey = apiKeyStore.get() !== undefined;
  apiKeyStore.clear();
  apiKeyStore.set(
    await askForApiKey(hadKey ? `That key was refused: ${detail}` : 'This server needs a key.'),
  );
  return true;
}

/** A request to the API with the tab's key; a 401 asks for the key and tries again. */
export async function apiResponse(path: string, request: ApiRequest = {}): Promise<Response> {
  for (;;) {
    const headers: Record<string, string> = {
      accept: 'application/json',
      ...authorizationHeaders(),
    };
    if (request.json !== undefined) headers['content-type'] = 'application/json';
    let response: Response;
    try {
      response = await fetch(path, {
        method: request.method ?? (request.json === undefined && !request.body ? 'GET' : 'POST'),
        headers,
        body: request.json === undefined ? request.body : JSON.stringify(request.json),
        signal: request.signal,
      });
    } catch (error) {
      if (request.signal?.aborted) throw error;
      throw new ApiError(0, 'The server cannot be reached; check your connection and try again');
    }
    if (response.ok) return response;
    const detail = await problemDetail(response);
    if (await renewKeyAfter(response.status, detail)) continue;
    throw new ApiError(response.status, detail);
  }
}

/** A JSON answer of the API. */
export async function api<T>(path: string, request: ApiRequest = {}): Promise<T> {
  return (await (await apiResponse(path, request)).json()) as T;
}

export async function problemDetail(response: Response): Promise<string> {
  const text = await response.text();
  try {
    const problem = JSON.parse(text) as { title?: string; detail?: string };
    return problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`;
  } catch {
    return `${response.status} ${response.statusText}`;
  }
}
