import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

// Keep-alives every 100 ms: a stream that failed to end would never let its body finish.
const api = useApi({ settings: { keepAliveMs: 100 } });

/** The events of a whole SSE body (read to its end). */
async function eventsOf(response: Response): Promise<Array<{ id: string; event: string }>> {
  expect(response.status).toBe(200);
  const body = await response.text();
  return body
    .split('\n\n')
    .filter((frame) => frame.includes('event: '))
    .map((frame) => ({
      id: /^id: (.*)$/m.exec(frame)?.[1] ?? '',
      event: /^event: (.*)$/m.exec(frame)?.[1] ?? '',
    }));
}

describe('resuming a finished prompt at or past its end', () => {
  it('gets the final event once more and the end, from the log and from PostgreSQL', async () => {
    const { client, baseUrl, services } = api();
    const finished = await client.createPrompt(
      { model: 'echo', prompt: 'the end' },
      { wait: true },
    );
    const stream = (after: string) =>
      fetch(`${baseUrl}/v1/prompts/${finished.id}/stream`, {
        headers: { 'last-event-id': after },
        signal: AbortSignal.timeout(20_000),
      });
    const all = await eventsOf(await stream('0'));
    const final = all.at(-1);
    expect(final?.event).toBe('done');
    const [finalMs] = (final?.id ?? '').split('-');
    for (const after of [final?.id ?? '', `${Number(finalMs) + 60_000}-0`]) {
      expect(await eventsOf(await stream(after))).toEqual([final]);
    }
    // The event before the end still gets exactly the end.
    expect(await eventsOf(await stream(all.at(-2)?.id ?? ''))).toEqual([final]);

    await services.events.reset(finished.id);
    const stored = await eventsOf(await stream('0'));
    expect(stored.at(-1)?.event).toBe('done');
    expect(await eventsOf(await stream(stored.at(-1)?.id ?? ''))).toEqual([stored.at(-1)]);
  });

  it('ends a finished batch stream resumed after its last item', async () => {
    const { client, baseUrl } = api();
    const batch = await client.createBatch({
      model: 'echo',
      prompt: 'batch end',
      items: [{ custom_id: 'a' }, { custom_id: 'b' }],
    });
    const stream = (after: string) =>
      fetch(`${baseUrl}/v1/batches/${batch.id}/stream?items=true`, {
        headers: { 'last-event-id': after },
        signal: AbortSignal.timeout(20_000),
      });
    const all = await eventsOf(await stream('0'));
    expect(all.filter((frame) => frame.event === 'item')).toHaveLength(2);
    const last = all.at(-1);
    expect(last?.event).toBe('done');
    const resumed = await eventsOf(await stream(last?.id ?? ''));
    expect(resumed.map((frame) => frame.event)).toEqual(['progress', 'done']);
  });
});
