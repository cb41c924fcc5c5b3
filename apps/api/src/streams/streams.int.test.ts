import { type StreamEntry, textOfEvents } from '@llmq/client';
import { sampleFiles, waitFor } from '@llmq/testing';
import { describe, expect, it } from 'vitest';
import { useApi } from '../server/api.fixture.ts';

const api = useApi({ settings: { keepAliveMs: 100 } });
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');

describe('live streams over a real socket', () => {
  it('upload → prompt with the attachment → SSE → stored: the streamed text equals the stored text', async () => {
    const { client } = api();
    const uploaded = await client.uploadAttachment(sampleFiles.jpeg, 'image/jpeg');
    const accepted = await client.createPrompt({
      model: 'echo',
      prompt: 'describe it',
      attachments: [{ id: uploaded.id }],
      options: { chunk_size: 5, delay_ms: 2 },
    });
    const { text, entries } = await client.streamText(accepted.id);
    const stored = await client.getPrompt(accepted.id);
    expect(stored.status).toBe('succeeded');
    expect(text).toBe(stored.text);
    expect(entries.at(-1)?.event).toMatchObject({ type: 'done', status: 'succeeded' });
    expect(entries.filter((entry) => entry.event.type === 'chunk').length).toBeGreaterThan(3);
  });

  it('resumes after a dropped connection with Last-Event-ID: no gap, no duplicate', async () => {
    const { client, baseUrl } = api();
    const accepted = await client.createPrompt({
      model: 'echo',
      prompt: 'a long answer',
      options: { chunk_size: 3, delay_ms: 5 },
    });
    const seen: StreamEntry[] = [];
    const resumedAfter: Array<string | undefined> = [];
    let connections = 0;
    const { followEvents } = await import('@llmq/client');
    // Each connection is dropped by the client after three events.
    for await (const entry of followEvents(
      async (after, signal) => {
        connections++;
        const controller = new AbortController();
        signal.addEventListener('abort', () => controller.abort());
        const response = await fetch(`${baseUrl}/v1/prompts/${accepted.id}/stream`, {
          headers: after ? { 'last-event-id': after } : {},
          signal: controller.signal,
        });
        const reader = (response.body as ReadableStream<Uint8Array>).getReader();
        let events = 0;
        const body = new ReadableStream<Uint8Array>({
          async pull(stream) {
            const next = await reader.read();
            if (next.done) {
              stream.close();
              return;
            }
            stream.enqueue(next.value);
            events += new TextDecoder().decode(next.value).split('\n\n').length - 1;
            if (events >= 3) {
              // The connection ends early, as when a proxy or the network drops it.
              controller.abort();
              stream.close();
            }
          },
        });
        return new Response(body);
      },
      { onReconnect: (after) => resumedAfter.push(after) },
    )) {
      seen.push(entry);
    }
    const stored = await client.getPrompt(accepted.id);
    expect(connections).toBeGreaterThan(2);
    expect(resumedAfter.every((after) => after !== undefined)).toBe(true);
    expect(new Set(seen.map((entry) => entry.id)).size).toBe(seen.length);
    expect(textOfEvents(seen)).toBe(stored.text);
  });

  it('gives three concurrent clients of one prompt identical event sequences', async () => {
    const { client } = api();
    const accepted = await client.createPrompt({
      model: 'echo',
      prompt: 'shared',
      options: { chunk_size: 4, delay_ms: 3 },
    });
    const runs = await Promise.all([1, 2, 3].map(() => client.streamText(accepted.id)));
    const sequences = runs.map((run) =>
      run.entries.map((entry) => `${entry.id} ${JSON.stringify(entry.event)}`),
    );
    expect(sequences[1]).toEqual(sequences[0]);
    expect(sequences[2]).toEqual(sequences[0]);
  });

  it('serves a finished prompt from PostgreSQL once its log has expired', async () => {
    const { client, services } = api();
    const accepted = await client.createPrompt(
      { model: 'echo', prompt: 'from the database' },
      { wait: true },
    );
    await services.events.reset(accepted.id);
    const fresh = await client.streamText(accepted.id);
    const stored = await client.getPrompt(accepted.id);
    expect(fresh.text).toBe(stored.text);
    expect(fresh.entries.map((entry) => entry.event.type)).toEqual(['status', 'chunk', 'done']);
    const resumed = await client.streamText(accepted.id, { after: '1795640285029-0' });
    expect(resumed.entries[0]?.event.type).toBe('restart');
    expect(resumed.text).toBe(stored.text);
  });

  it('sends keep-alive comments while a stream is idle', async () => {
    const { client, baseUrl } = api();
    const accepted = await client.createPrompt({
      model: 'echo',
      prompt: 'idle first',
      options: { delay_ms: 400, chunk_size: 1000 },
    });
    const controller = new AbortController();
    const response = await fetch(`${baseUrl}/v1/prompts/${accepted.id}/stream`, {
      signal: controller.signal,
    });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    let text = '';
    await waitFor(async () => {
      const next = await reader.read();
      text += new TextDecoder().decode(next.value);
      return text.includes(': keep-alive') || next.done;
    }, 'a keep-alive comment');
    controller.abort();
    expect(text).toContain(': keep-alive');
  });

  it('ends the stream of a cancelled prompt with a cancelled error', async () => {
    const { client } = api();
    const accepted = await client.createPrompt({
      model: 'echo',
      prompt: 'cancel me',
      options: { delay_ms: 50, chunk_size: 2 },
    });
    const following = client.streamText(accepted.id);
    await waitFor(
      async () => (await client.getPrompt(accepted.id)).status === 'running',
      'the prompt to run',
    );
    await client.cancelPrompt(accepted.id);
    const { entries } = await following;
    expect(entries.at(-1)?.event).toMatchObject({ type: 'error', status: 'cancelled' });
    await waitFor(() => api().worker.runningIds().length === 0, 'the worker to stop the prompt');
    expect((await client.getPrompt(accepted.id)).status).toBe('cancelled');
  });

  it('replays a three-turn conversation with an image in turn 1 to an OpenAI-compatible server', async () => {
    const { client, openai } = api();
    openai.requests.length = 0;
    openai.enqueue({ text: 'A red pixel.' }, { text: 'Red.' }, { text: 'Square.' });
    const imagePart = {
      type: 'image_url',
      image_url: { url: `data:image/png;base64,${base64(sampleFiles.png)}` },
    };
    const first = await client.createPrompt(
      {
        model: 'lv',
        prompt: 'What is this?',
        system: 'Be brief.',
        attachments: [{ content: base64(sampleFiles.png) }],
      },
      { wait: true },
    );
    const conversationId = first.conversation_id as string;
    await client.createPrompt(
      { model: 'lv', prompt: 'What colour?', conversation_id: conversationId },
      { wait: true },
    );
    const third = await client.createPrompt(
      { model: 'lv', prompt: 'What shape?', conversation_id: conversationId },
      { wait: true },
    );
    expect(third).toMatchObject({ status: 'succeeded', text: 'Square.', model: 'local-vision' });
    const sent = openai.requests.map(
      (request) => (request.body as { messages: unknown[] }).messages,
    );
    const firstTurn = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: [{ type: 'text', text: 'What is this?' }, imagePart] },
    ];
    expect(sent).toEqual([
      firstTurn,
      [
        ...firstTurn,
        { role: 'assistant', content: 'A red pixel.' },
        { role: 'user', content: 'What colour?' },
      ],
      [
        ...firstTurn,
        { role: 'assistant', content: 'A red pixel.' },
        { role: 'user', content: 'What colour?' },
        { role: 'assistant', content: 'Red.' },
        { role: 'user', content: 'What shape?' },
      ],
    ]);
    const conversation = await client.getConversation(conversationId);
    expect(conversation.turns.map((turn) => turn.text)).toEqual([
      'A red pixel.',
      'Red.',
      'Square.',
    ]);
    expect(conversation.turns[0]?.attachments[0]?.type).toBe('image/png');
  });

  it('finishes from the row, after a restart, a stream whose log Redis lost once the prompt has ended', async () => {
    const { baseUrl, deps } = api();
    const { services } = deps;
    const { createQueuedPrompt, markPromptsRunning, completePrompt } = await import('@llmq/db');
    const { newId } = await import('@llmq/core');
    const { followEvents } = await import('@llmq/client');
    // A prompt no worker runs: the test plays the worker's part.
    const id = newId();
    await createQueuedPrompt(services.db, {
      id,
      model: 'echo',
      prompt: 'lost log',
      options: {},
      conversationId: newId(),
      attachments: [],
    });
    await markPromptsRunning(services.db, [{ id, attempt: 1 }]);
    await services.events.appendMany(id, [
      { type: 'status', status: 'running', attempt: 1 },
      { type: 'chunk', text: 'The beginning, ' },
    ]);
    const seen: StreamEntry[] = [];
    const following = (async () => {
      for await (const entry of followEvents((after, signal) =>
        fetch(`${baseUrl}/v1/prompts/${id}/stream`, {
          headers: after ? { 'last-event-id': after } : {},
          signal,
        }),
      )) {
        seen.push(entry);
      }
    })();
    await waitFor(async () => textOfEvents(seen) === 'The beginning, ', 'the first chunk');
    // Redis loses the log, and the prompt ends in PostgreSQL with its `done` never appended.
    await services.events.reset(id);
    await completePrompt(services.db, id, 1, {
      response: 'The beginning, and the end.',
      responseJson: null,
      promptJson: null,
      inputTokens: 1,
      outputTokens: 2,
      tokenDetails: null,
      durationMs: 5,
      datetimeUtc: new Date(),
      resolvedModel: null,
    });
    await following;
    expect(seen.map((entry) => entry.event.type)).toEqual([
      'status',
      'chunk',
      'restart',
      'status',
      'chunk',
      'done',
    ]);
    expect(textOfEvents(seen)).toBe('The beginning, and the end.');
  });
});
