import { waitFor } from '@llmq/testing';
import { createParser } from 'eventsource-parser';

export interface BatchBody {
  id: string;
  status: string;
  counts: {
    total: number;
    queued: number;
    running: number;
    succeeded: number;
    failed: number;
    cancelled: number;
  };
}

export interface ResultLine {
  index: number;
  custom_id: string | null;
  prompt_id: string;
  status: string;
  text: string | null;
  usage: { input: number | null; output: number | null } | null;
  error: { kind: string; message: string } | null;
}

export interface BatchEvent {
  event: string;
  data: Record<string, unknown>;
}

/** Every item's place in the counts: they always add up to the batch's total. */
export const countsSum = (counts: BatchBody['counts']) =>
  counts.queued + counts.running + counts.succeeded + counts.failed + counts.cancelled;

/** The batch routes as a test calls them over HTTP, against the api at `baseUrl()`. */
export function batchRequests(baseUrl: () => string) {
  async function createBatch(body: unknown): Promise<BatchBody> {
    const response = await fetch(`${baseUrl()}/v1/batches`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (response.status !== 201) {
      throw new Error(`expected 201, got ${response.status}: ${await response.text()}`);
    }
    return (await response.json()) as BatchBody;
  }

  async function getBatch(id: string): Promise<BatchBody> {
    return (await (await fetch(`${baseUrl()}/v1/batches/${id}`)).json()) as BatchBody;
  }

  async function results(id: string, query = ''): Promise<ResultLine[]> {
    const text = await (await fetch(`${baseUrl()}/v1/batches/${id}/results${query}`)).text();
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ResultLine);
  }

  async function untilEnded(id: string, status = 'completed'): Promise<void> {
    await waitFor(
      async () => (await getBatch(id)).status === status,
      `the batch to be ${status}`,
      30_000,
      50,
    );
  }

  /** The batch's stream read to its end. */
  async function followBatch(id: string, items = true, lastEventId?: string) {
    const response = await fetch(
      `${baseUrl()}/v1/batches/${id}/stream${items ? '?items=true' : ''}`,
      {
        headers: lastEventId ? { 'last-event-id': lastEventId } : {},
      },
    );
    const events: Array<BatchEvent & { id: string }> = [];
    const parser = createParser({
      onEvent: (message) =>
        events.push({
          id: message.id ?? '',
          event: message.event ?? 'message',
          data: JSON.parse(message.data),
        }),
    });
    const decoder = new TextDecoder();
    for await (const bytes of response.body as unknown as AsyncIterable<Uint8Array>) {
      parser.feed(decoder.decode(bytes, { stream: true }));
    }
    return events;
  }

  return { createBatch, getBatch, results, untilEnded, followBatch };
}
