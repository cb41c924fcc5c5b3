import { ApiError, api } from './api-client.ts';

export type ConnectionState = 'connecting' | 'open' | 'reconnecting' | 'ended';

export interface FollowOptions {
  /** The collection and id, e.g. `prompts/01J…`: the stream and its token live under it. */
  readonly resource: string;
  /** The event names to listen for. */
  readonly events: readonly string[];
  /** Events after which the stream is over. */
  readonly finalEvents: readonly string[];
  /** More query parameters for the stream, e.g. `items=true`. */
  readonly query?: string;
  readonly signal: AbortSignal;
  onEvent(type: string, data: unknown): void;
  onConnection?(state: ConnectionState): void;
  /** The stream cannot be followed (unknown id, no access). */
  onFailure?(error: Error): void;
}

/**
 * Whether a refused token request would be refused again as it is (unknown id, no access). A
 * request timeout (408) or rate limit (429) passes, so those are tried again after a while.
 */
function isFinalRefusal(status: number): boolean {
  return status >= 400 && status < 500 && status !== 408 && status !== 429;
}

const firstRetryMs = 250;
const lastRetryMs = 5_000;

/**
 * Follow an SSE stream with EventSource, resuming by itself after a dropped connection from the
 * last event id received. EventSource cannot send an Authorization header, so each connection
 * opens with a fresh short-lived stream token; that is also why reconnecting is done here and
 * not left to EventSource, whose own retry would reuse an expired token.
 */
export function followStream(options: FollowOptions): void {
  let lastEventId = '0';
  let source: EventSource | undefined;
  let retryMs = firstRetryMs;
  let ended = false;

  const end = () => {
    ended = true;
    source?.close();
    options.onConnection?.('ended');
  };
  options.signal.addEventListener('abort', () => {
    ended = true;
    source?.close();
  });

  const retry = () => {
    if (ended || options.signal.aborted) return;
    options.onConnection?.('reconnecting');
    window.setTimeout(connect, retryMs);
    retryMs = Math.min(retryMs * 2, lastRetryMs);
  };

  async function connect(): Promise<void> {
    if (ended || options.signal.aborted) return;
    let url: string;
    try {
      const token = await api<{ stream_url: string }>(`/v1/${options.resource}/token`, {
        method: 'POST',
        signal: options.signal,
      });
      url = token.stream_url;
    } catch (error) {
      if (options.signal.aborted) return;
      if (error instanceof ApiError && isFinalRefusal(error.status)) {
        end();
        options.onFailure?.(error);
        return;
      }
      retry();
      return;
    }
    if (ended || options.signal.aborted) return;
    const query = `after=${encodeURIComponent(lastEventId)}${options.query ? `&${options.query}` : ''}`;
    const current = new EventSource(`${url}${url.includes('?') ? '&' : '?'}${query}`);
    source = current;
    current.addEventListener('open', () => {
      retryMs = firstRetryMs;
      options.onConnection?.('open');
    });
    for (const type of options.events) {
      current.addEventListener(type, (event) => {
        // The stream's own `error` event shares its name with EventSource's connection error.
        if (!(event instanceof MessageEvent) || current !== source) return;
        if (event.lastEventId) lastEventId = event.lastEventId;
        options.onEvent(type, JSON.parse(event.data as string));
        if (options.finalEvents.includes(type)) end();
      });
    }
    current.addEventListener('error', (event) => {
      if (event instanceof MessageEvent || current !== source) return;
      current.close();
      retry();
    });
  }

  options.onConnection?.('connecting');
  void connect();
}
