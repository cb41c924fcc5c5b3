import type { BatchProgressEvent } from '@llmq/contracts';
import { createParser } from 'eventsource-parser';

/** Opens a batch's event stream (again, after a drop). */
export type OpenBatchStream = () => Promise<Response>;

/**
 * A batch's progress events until it ends, opening its stream again after a drop: progress is
 * state, so nothing is missed. Ends when `signal` aborts.
 */
export async function* followBatchEvents(
  open: OpenBatchStream,
  signal?: AbortSignal,
): AsyncGenerator<BatchProgressEvent> {
  while (!signal?.aborted) {
    const response = await open();
    const queue: Array<{ event?: string | undefined; data: string }> = [];
    const parser = createParser({ onEvent: (message) => queue.push(message) });
    const decoder = new TextDecoder();
    try {
      for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
        parser.feed(decoder.decode(bytes, { stream: true }));
        while (queue.length > 0) {
          const message = queue.shift() as { event?: string; data: string };
          if (message.event !== 'progress' && message.event !== 'done') continue;
          const event = JSON.parse(message.data) as BatchProgressEvent;
          yield event;
          if (event.type === 'done') return;
        }
      }
    } catch {
      // A dropped connection: follow again (progress is state, nothing is missed).
      if (signal?.aborted) return;
    }
    await new Promise((resume) => setTimeout(resume, 500));
  }
}
