import { isFinalEvent, type PromptEvent, promptEventSchema } from '@llmq/contracts';
import { createParser, type EventSourceMessage } from 'eventsource-parser';

export interface StreamEntry {
  readonly id: string;
  readonly event: PromptEvent;
}

export interface FollowOptions {
  /** Resume after this event id. */
  readonly after?: string | undefined;
  readonly signal?: AbortSignal | undefined;
  /** Reconnections allowed in a row without receiving anything (default 10). */
  readonly maxReconnects?: number | undefined;
  /** Called on each reconnection, with the id it resumes after. */
  readonly onReconnect?: ((after: string | undefined) => void) | undefined;
}

export type OpenStream = (after: string | undefined, signal: AbortSignal) => Promise<Response>;

/**
 * Follow an SSE stream of prompt events, reconnecting with `Last-Event-ID` when the connection
 * drops before the final event, so the caller sees every event once, in order.
 */
export async function* followEvents(
  open: OpenStream,
  options: FollowOptions = {},
): AsyncGenerator<StreamEntry> {
  let after = options.after;
  let failures = 0;
  const maxReconnects = options.maxReconnects ?? 10;
  while (!options.signal?.aborted) {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    options.signal?.addEventListener('abort', onAbort);
    let receivedAny = false;
    try {
      const response = await open(after, controller.signal);
      if (!response.body) throw new Error('the stream has no body');
      const queue: EventSourceMessage[] = [];
      const parser = createParser({ onEvent: (message) => queue.push(message) });
      const decoder = new TextDecoder();
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(bytes, { stream: true }));
        while (queue.length > 0) {
          const message = queue.shift() as EventSourceMessage;
          const event = promptEventSchema.parse(JSON.parse(message.data));
          if (message.id) after = message.id;
          receivedAny = true;
          failures = 0;
          yield { id: message.id ?? '', event };
          if (isFinalEvent(event)) return;
        }
      }
    } catch (error) {
      if (options.signal?.aborted) return;
      if (isFinalHttpError(error)) throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
      controller.abort();
    }
    if (!receivedAny) failures++;
    if (failures > maxReconnects) {
      throw new Error(
        `The event stream kept dropping (${maxReconnects} reconnections without an event)`,
      );
    }
    options.onReconnect?.(after);
    await new Promise((resume) => setTimeout(resume, Math.min(100 * 2 ** failures, 2_000)));
  }
}

function isFinalHttpError(error: unknown): boolean {
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500;
}

/**
 * The reasoning of a stream as it should finally read: `reasoning` events appended apart from
 * the answer's chunks, and dropped at each `restart` as the text is.
 */
export function reasoningOfEvents(entries: Iterable<StreamEntry>): string {
  let reasoning = '';
  for (const { event } of entries) {
    if (event.type === 'restart') reasoning = '';
    if (event.type === 'reasoning') reasoning += event.text;
  }
  return reasoning;
}

/**
 * The text of a stream as it should finally read: chunks appended, and everything dropped at
 * each `restart` (a retried attempt streams its answer again from the start).
 */
export function textOfEvents(entries: Iterable<StreamEntry>): string {
  let text = '';
  for (const { event } of entries) {
    if (event.type === 'restart') text = '';
    if (event.type === 'chunk') text += event.text;
  }
  return text;
}
